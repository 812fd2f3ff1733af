package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.testing.TestData;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A network that exercises every supported layer combination: 8 inputs, hidden 7 (constant o), 6 (trainable o,
 * psi L2), 5 (stock DenseLayer with IsotropicTanh: psi as its last weight row, emits no scale), 6 (no psi), then 3
 * softmax outputs (psi as the last weight row).
 */
final class SurgeryNetworks {

    static final long SEED = 77L;
    static final int INPUTS = 8;
    static final int CLASSES = 3;

    private SurgeryNetworks() {
    }

    static MultiLayerNetwork mixed(DataType type, IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED).dataType(type)
                .updater(updater).list()
                .layer(new IsotropicDenseLayer.Builder().nOut(7).intrinsicLength(IntrinsicLength.constant(0.1))
                        .build())
                .layer(new IsotropicDenseLayer.Builder().nOut(6).intrinsicLength(IntrinsicLength.trainable(0.2))
                        .psiL2(0.1).build())
                .layer(new DenseLayer.Builder().nOut(5).activation(new IsotropicTanh(0.05)).build())
                .layer(new IsotropicDenseLayer.Builder().nOut(6).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(CLASSES).build())
                .setInputType(InputType.feedForward(INPUTS)).build());
        net.init();
        return net;
    }

    /** The mixed network after a few training steps, so that biases, psi and updater state are all non-trivial. */
    static MultiLayerNetwork trained(DataType type, IUpdater updater, int steps) {
        MultiLayerNetwork net = mixed(type, updater);
        for (int i = 0; i < steps; i++) {
            net.fit(inputs(type, 32, i), labels(type, 32, i));
        }
        return net;
    }

    /**
     * Makes a neuron constant: zero incoming weights and psi entry, so its pre-activation is its bias (set to 0.8).
     * Removing such a neuron with the o and psi updates is exact.
     */
    static void makeConstant(MultiLayerNetwork net, int layer, int neuron) {
        net.getLayer(layer).getParam("W").getColumn(neuron).assign(0.0);
        if (net.getLayer(layer).paramTable().containsKey("psi")) {
            net.getLayer(layer).getParam("psi").putScalar(0, neuron, 0.0);
        }
        net.getLayer(layer).getParam("b").putScalar(neuron, 0.8);
    }

    static INDArray inputs(DataType type, int rows, long salt) {
        return gaussian(SEED + 1000 + salt, type, rows, INPUTS);
    }

    static INDArray labels(DataType type, int rows, long salt) {
        return TestData.oneHot(SEED + 2000 + salt, type, rows, CLASSES);
    }
}
