package org.dl4jisotropic.examples.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.surgery.SurgeryReport;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code isotropic diagonalize}: rewrites a saved model in its diagonal basis. */
@Command(name = "diagonalize", mixinStandardHelpOptions = true,
        description = "Rewrite a saved model in its diagonal basis: every hidden layer left-diagonalized (neurons "
                + "sorted by singular value), or with --full layers 1, 3, 5, ... fully diagonal. Outputs unchanged.")
public final class DiagonalizeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelRewriteOptions files;

    @Option(names = "--full", description = "Alternating full diagonalization (one-to-one connections).")
    private boolean full;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        ModelRewriteOptions.Loaded loaded = files.load();
        MultiLayerNetwork net = loaded.net();
        NetworkSurgeon surgeon = loaded.surgeon();
        List<SurgeryReport> reports = full ? surgeon.diagonalizeAlternating() : surgeon.diagonalizeAllLeft();
        for (SurgeryReport report : reports) {
            console.printf("layer %d: %s%n", report.layer(), report.operation());
        }
        double change = reports.isEmpty() ? 0.0 : reports.get(0).maxOutputChange().orElse(0.0);
        console.println("measured max output change on test data: " + change);
        console.println("wrote " + files.save(net));
        return 0;
    }
}
