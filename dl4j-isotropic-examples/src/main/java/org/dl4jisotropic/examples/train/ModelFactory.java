package org.dl4jisotropic.examples.train;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The MLPs of the training harness: isotropic ({@code IsotropicDenseLayer}: trainable o, psi with L2 0.1,
 * orthogonal init, the paper's full configuration) or elementwise baselines (stock {@code DenseLayer} with tanh or
 * ReLU, Xavier init) in the same harness, softmax output.
 */
public final class ModelFactory {

    /** L2 coefficient of psi, as in the paper's runs. */
    public static final double PSI_L2 = 0.1;

    private ModelFactory() {
    }

    /**
     * Builds and initialises the network for a configuration.
     *
     * @param config  the run's configuration
     * @param inputs  features per example
     * @param classes number of classes
     */
    public static MultiLayerNetwork mlp(TrainingConfig config, int inputs, int classes) {
        ListBuilder list = new NeuralNetConfiguration.Builder().seed(config.seed()).dataType(config.dtype())
                .updater(updater(config)).list();
        for (int width : config.hidden()) {
            if ("isotropic-tanh".equals(config.activation())) {
                list.layer(new IsotropicDenseLayer.Builder().nOut(width).psiL2(PSI_L2).build());
            } else {
                Activation activation = "tanh".equals(config.activation()) ? Activation.TANH : Activation.RELU;
                list.layer(new DenseLayer.Builder().nOut(width).activation(activation).build());
            }
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.layer(new OutputLayer.Builder(
                LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(classes).build())
                .setInputType(InputType.feedForward(inputs)).build());
        net.init();
        return net;
    }

    private static IUpdater updater(TrainingConfig config) {
        switch (config.updater()) {
            case "sgd":
                return new Sgd(config.learningRate());
            case "nesterovs":
                return new Nesterovs(config.learningRate(), 0.9);
            default:
                return new Adam(config.learningRate());
        }
    }
}
