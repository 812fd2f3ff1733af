package org.dl4jisotropic.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jisotropic.examples.data.DataSource;
import org.dl4jisotropic.examples.data.LoadedData;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Loading, checking and saving models for the model commands, and the test inputs they measure output changes on.
 * Every check throws {@link IllegalArgumentException} naming the option, so that the command exits with code 2
 * before it writes anything.
 */
final class SavedModel {

    private SavedModel() {
    }

    /**
     * Restores a MultiLayerNetwork with its updater state.
     *
     * @throws IllegalArgumentException naming {@code --model} if the file is missing or is not a saved
     *     MultiLayerNetwork (corrupt, another format, a ComputationGraph)
     */
    static MultiLayerNetwork load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--model must be a model.zip written by isotropic train or "
                    + "ModelSerializer, found no file at " + file);
        }
        try {
            return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
        } catch (IOException | RuntimeException e) {
            // ModelSerializer reports a bad file in many ways (ZipException, JSON errors, NullPointerException).
            throw new IllegalArgumentException("--model " + file + " is not a MultiLayerNetwork saved by isotropic "
                    + "train or ModelSerializer (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    /**
     * The surgeon of a loaded model.
     *
     * @throws IllegalArgumentException naming {@code --model} if the network is not isotropic or its updater state
     *     cannot be carried through surgery
     */
    static NetworkSurgeon surgeon(MultiLayerNetwork net, Path file) {
        try {
            return new NetworkSurgeon(net);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model " + file + " cannot be operated on: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that an output path can take a model file, before any work is done.
     *
     * @throws IllegalArgumentException naming {@code --out} if it is a folder
     */
    static void requireWritableFile(Path out) {
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out must be a file name such as model.zip, found the folder " + out);
        }
    }

    /** Saves with updater state, creating the parent folder. */
    static void save(MultiLayerNetwork net, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ModelSerializer.writeModel(net, file.toFile(), true);
    }

    /**
     * Features per flat example: the first layer's input size, or for a CNN fed flat images (through DL4J's
     * {@code FeedForwardToCnnPreProcessor}) height x width x channels.
     */
    private static long flatInputSize(MultiLayerNetwork net) {
        if (net.getLayerWiseConfigurations().getInputPreProcess(0) instanceof FeedForwardToCnnPreProcessor image) {
            return image.getInputHeight() * image.getInputWidth() * image.getNumChannels();
        }
        return net.layerInputSize(0);
    }

    /**
     * Test inputs of the dataset the model was trained on.
     *
     * @throws IllegalArgumentException naming {@code --data} if the data cannot be read or its feature count does
     *     not match the model's input
     */
    static INDArray testInputs(MultiLayerNetwork net, String data, int limit) {
        DataSource source = DataSource.parse(data);
        long inputs = flatInputSize(net);
        if (source.inputs() != inputs) {
            throw new IllegalArgumentException("--data must match the model: the model takes " + inputs
                    + " features, " + source.name() + " has " + source.inputs());
        }
        LoadedData loaded = source.load(1, limit, net.getLayerWiseConfigurations().getDataType(), 42L);
        return loaded.test().getFeatures();
    }
}
