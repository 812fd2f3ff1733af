package org.dl4jisotropic.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jisotropic.examples.data.LoadedData;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Loading and saving models for the model commands, and the test inputs they measure output changes on. */
final class SavedModel {

    private SavedModel() {
    }

    /** Restores a MultiLayerNetwork with its updater state. */
    static MultiLayerNetwork load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--model must be a model.zip written by isotropic train or "
                    + "ModelSerializer, found no file at " + file);
        }
        return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
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
     * Test inputs of the dataset the model was trained on.
     *
     * @throws IllegalArgumentException if the data's feature count does not match the model's input
     */
    static INDArray testInputs(MultiLayerNetwork net, String data, int limit) throws IOException {
        LoadedData loaded = LoadedData.resolve(data, 1, limit, net.getLayerWiseConfigurations().getDataType(), 42L);
        long inputs = net.layerInputSize(0);
        if (loaded.inputs() != inputs) {
            throw new IllegalArgumentException("--data must match the model: the model takes " + inputs
                    + " features, " + loaded.name() + " has " + loaded.inputs());
        }
        return loaded.test().getFeatures();
    }
}
