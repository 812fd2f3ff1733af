package org.dl4jisotropic.examples.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.nd4j.linalg.api.ndarray.INDArray;

import picocli.CommandLine.Option;

/**
 * The options shared by the commands that rewrite a saved model (resize, diagonalize, sparsify): input and output
 * model files, and the data on which the output change is measured. {@link #load()} validates all of them, so a
 * command that calls it first writes nothing for a bad value.
 */
final class ModelRewriteOptions {

    @Option(names = "--model", required = true, description = "Input model.zip.")
    private Path model;

    @Option(names = "--out", required = true, description = "Output model.zip.")
    private Path out;

    @Option(names = "--data", defaultValue = "auto", description = "Data for measuring the output change (must match "
            + "the model): auto, fashion-mnist, iris or a folder of IDX files. Default: ${DEFAULT-VALUE}.")
    private String data;

    @Option(names = "--test-limit", defaultValue = "2000",
            description = "Test examples used. Default: ${DEFAULT-VALUE}.")
    private int testLimit;

    /** A loaded model with its surgeon and the inputs its output change is measured on. */
    record Loaded(MultiLayerNetwork net, NetworkSurgeon surgeon, INDArray testInputs) {
    }

    /**
     * Checks every shared option, then loads the input model (with its updater state) and the test inputs.
     *
     * @throws IllegalArgumentException naming the option at fault
     */
    Loaded load() {
        if (testLimit < 1) {
            throw new IllegalArgumentException("--test-limit must be >= 1, found " + testLimit);
        }
        SavedModel.requireWritableFile(out);
        MultiLayerNetwork net = SavedModel.load(model);
        NetworkSurgeon surgeon = SavedModel.surgeon(net, model);
        INDArray inputs = SavedModel.testInputs(net, data, testLimit);
        return new Loaded(net, surgeon.withProbe(inputs), inputs);
    }

    /** Saves a model to {@code --out}; returns the path. */
    Path save(MultiLayerNetwork net) throws IOException {
        SavedModel.save(net, out);
        return out;
    }
}
