package org.dl4jisotropic.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.surgery.SurgeryReport;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;

import picocli.CommandLine.Command;
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

    @Option(names = "--model", required = true, description = "Input model.zip.")
    private Path model;

    @Option(names = "--layer", required = true, description = "Hidden layer index, from 0.")
    private int layer;

    @Option(names = "--width", required = true, description = "New width.")
    private int width;

    @Option(names = "--out", required = true, description = "Output model.zip.")
    private Path out;

    @Option(names = "--data", defaultValue = "auto", description = "Data for measuring the output change (must match "
            + "the model). Default: ${DEFAULT-VALUE}.")
    private String data;

    @Option(names = "--test-limit", defaultValue = "2000", description = "Test examples used. Default: ${DEFAULT-VALUE}.")
    private int testLimit;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of new neurons. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        MultiLayerNetwork net = SavedModel.load(model);
        NetworkSurgeon surgeon = new NetworkSurgeon(net).withProbe(SavedModel.testInputs(net, data, testLimit));
        if (layer < 0 || layer >= net.getnLayers() - 1) {
            throw new IllegalArgumentException("--layer must be a hidden layer index in [0, " + (net.getnLayers() - 2)
                    + "], found " + layer);
        }
        if (width < 1) {
            throw new IllegalArgumentException("--width must be >= 1, found " + width);
        }
        long current = net.getLayer(layer).getParam("b").length();
        if (width == current) {
            console.println("layer " + layer + " already has width " + width + "; nothing to do");
            SavedModel.save(net, out);
            return 0;
        }
        SurgeryReport report = width > current ? surgeon.grow(layer, (int) (width - current), seed)
                : surgeon.shrink(layer, (int) (current - width));
        console.printf("layer %d: %s %d (width %d -> %d)%n", layer, report.operation(), report.count(),
                report.widthBefore(), report.widthAfter());
        if (!report.removedSingularValues().isEmpty()) {
            console.println("removed singular values: " + report.removedSingularValues());
        }
        console.println("error bound: " + (report.errorBound().isPresent() ? report.errorBound().getAsDouble()
                : "unknown (first layer: no bound on the input norm)"));
        console.println("measured max output change on test data: " + report.maxOutputChange().getAsDouble());
        SavedModel.save(net, out);
        console.println("wrote " + out);
        return 0;
    }
}
