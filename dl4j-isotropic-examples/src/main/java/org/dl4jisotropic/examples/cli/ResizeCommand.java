package org.dl4jisotropic.examples.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.surgery.SurgeryReport;
import org.dl4jisotropic.examples.train.TrainingConfig;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code isotropic resize}: grows or shrinks one hidden layer of a saved model. */
@Command(name = "resize", mixinStandardHelpOptions = true,
        description = "Grow (scaffold neurons, outputs unchanged) or shrink (smallest singular values first, with the "
                + "o and psi updates) one hidden layer; prints the error bound and the measured output change.")
public final class ResizeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelRewriteOptions files;

    @Option(names = "--layer", required = true, description = "Hidden layer index, from 0.")
    private int layer;

    @Option(names = "--width", required = true, description = "New width.")
    private int width;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of new neurons. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        if (layer < 0) {
            throw new IllegalArgumentException("--layer must be a hidden layer index >= 0, found " + layer);
        }
        if (width < 1 || width > TrainingConfig.WIDTH_LIMIT) {
            throw new IllegalArgumentException("--width must be in [1, " + TrainingConfig.WIDTH_LIMIT + "], found "
                    + width);
        }
        ModelRewriteOptions.Loaded loaded = files.load();
        MultiLayerNetwork net = loaded.net();
        List<Long> widths = NetworkSurgeon.hiddenWidths(net);   // hidden layers: conv channels count too
        if (layer >= widths.size()) {
            throw new IllegalArgumentException("--layer must be a hidden layer index in [0, " + (widths.size() - 1)
                    + "], found " + layer);
        }
        long current = widths.get(layer);
        if (width == current) {
            console.println("layer " + layer + " already has width " + width + "; nothing to do");
            files.save(net);
            return 0;
        }
        SurgeryReport report = width > current ? loaded.surgeon().grow(layer, (int) (width - current), seed)
                : loaded.surgeon().shrink(layer, (int) (current - width));
        console.printf("layer %d: %s %d (width %d -> %d)%n", layer, report.operation(), report.count(),
                report.widthBefore(), report.widthAfter());
        if (!report.removedSingularValues().isEmpty()) {
            console.println("removed singular values: " + report.removedSingularValues());
        }
        console.println("error bound: " + (report.errorBound().isPresent() ? report.errorBound().getAsDouble()
                : "unknown (first layer: no bound on the input norm)"));
        console.println("measured max output change on test data: " + report.maxOutputChange().getAsDouble());
        console.println("wrote " + files.save(net));
        return 0;
    }
}
