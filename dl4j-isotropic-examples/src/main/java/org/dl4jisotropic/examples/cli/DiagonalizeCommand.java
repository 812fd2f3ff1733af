package org.dl4jisotropic.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.surgery.SurgeryReport;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code isotropic diagonalize}: rewrites a saved model in its diagonal basis. */
@Command(name = "diagonalize", mixinStandardHelpOptions = true,
        description = "Rewrite a saved model in its diagonal basis: every hidden layer left-diagonalised (neurons "
                + "sorted by singular value), or with --full layers 1, 3, 5, ... fully diagonal. Outputs unchanged.")
public final class DiagonalizeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, description = "Input model.zip.")
    private Path model;

    @Option(names = "--out", required = true, description = "Output model.zip.")
    private Path out;

    @Option(names = "--full", description = "Alternating full diagonalisation (one-to-one connections).")
    private boolean full;

    @Option(names = "--data", defaultValue = "auto", description = "Data for measuring the output change (must match "
            + "the model). Default: ${DEFAULT-VALUE}.")
    private String data;

    @Option(names = "--test-limit", defaultValue = "2000", description = "Test examples used. Default: ${DEFAULT-VALUE}.")
    private int testLimit;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        MultiLayerNetwork net = SavedModel.load(model);
        NetworkSurgeon surgeon = new NetworkSurgeon(net).withProbe(SavedModel.testInputs(net, data, testLimit));
        List<SurgeryReport> reports = full ? surgeon.diagonalizeAlternating() : surgeon.diagonalizeAllLeft();
        for (SurgeryReport report : reports) {
            console.printf("layer %d: %s%n", report.layer(), report.operation());
        }
        double change = reports.isEmpty() ? 0.0 : reports.get(0).maxOutputChange().orElse(0.0);
        console.println("measured max output change on test data: " + change);
        SavedModel.save(net, out);
        console.println("wrote " + out);
        return 0;
    }
}
