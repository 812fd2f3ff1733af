package org.dl4jisotropic.examples.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import picocli.CommandLine.Option;

/**
 * The options shared by the commands that rewrite a saved model (resize, diagonalize, sparsify): input and output
 * model files, and the data on which the output change is measured.
 */
final class ModelRewriteOptions {

    @Option(names = "--model", required = true, description = "Input model.zip.")
    private Path model;

    @Option(names = "--out", required = true, description = "Output model.zip.")
    private Path out;

    @Option(names = "--data", defaultValue = "auto", description = "Data for measuring the output change (must match "
            + "the model). Default: ${DEFAULT-VALUE}.")
    private String data;

    @Option(names = "--test-limit", defaultValue = "2000", description = "Test examples used. Default: ${DEFAULT-VALUE}.")
    private int testLimit;

    /** The input model, with its updater state. */
    MultiLayerNetwork load() throws IOException {
        return SavedModel.load(model);
    }

    /** Test inputs of the chosen data, checked against the model's input size. */
    INDArray testInputs(MultiLayerNetwork net) throws IOException {
        return SavedModel.testInputs(net, data, testLimit);
    }

    /** Saves a model to {@code --out}; returns the path. */
    Path save(MultiLayerNetwork net) throws IOException {
        SavedModel.save(net, out);
        return out;
    }
}
