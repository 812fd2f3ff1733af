package org.dl4jisotropic.examples.train;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The MLPs of the training harness: hidden layers of the configured {@link HiddenActivation} (isotropic, or an
 * elementwise baseline), the configured {@link Updater}, and a softmax output.
 */
public final class ModelFactory {

    private ModelFactory() {
    }

    /**
     * Builds and initializes the network for a configuration.
     *
     * @param config  the run's configuration
     * @param inputs  features per example
     * @param classes number of classes
     */
    public static MultiLayerNetwork mlp(TrainingConfig config, int inputs, int classes) {
        ListBuilder list = new NeuralNetConfiguration.Builder().seed(config.seed()).dataType(config.dtype())
                .updater(config.updater().create(config.learningRate())).list();
        for (int width : config.hidden()) {
            list.layer(config.activation().layer(width));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.layer(new OutputLayer.Builder(
                LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(classes).build())
                .setInputType(InputType.feedForward(inputs)).build());
        net.init();
        return net;
    }
}
