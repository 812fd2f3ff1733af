package org.dl4jisotropic.layers.adapt;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.testing.TestData;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A small isotropic MLP (12 inputs, hidden 10 and 8, 4 classes) and a fixed synthetic dataset for listener tests. */
final class AdaptiveNetworks {

    static final int INPUTS = 12;
    static final int CLASSES = 4;

    private AdaptiveNetworks() {
    }

    static MultiLayerNetwork network(DataType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(type)
                .updater(new Adam(1e-2)).list()
                .layer(new IsotropicDenseLayer.Builder().nOut(10).psiL2(0.1).build())
                .layer(new IsotropicDenseLayer.Builder().nOut(8).psiL2(0.1).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(CLASSES).build())
                .setInputType(InputType.feedForward(INPUTS)).build());
        net.init();
        return net;
    }

    /** Labels that depend on the inputs (a random linear teacher), so there is something to learn. */
    static DataSet data(DataType type, int rows) {
        var x = gaussian(91, type, rows, INPUTS);
        var teacher = gaussian(92, type, INPUTS, CLASSES);
        var labels = TestData.oneHot(93, type, rows, CLASSES).muli(0.0);
        var argMax = x.mmul(teacher).argMax(1);
        for (int i = 0; i < rows; i++) {
            labels.putScalar(i, argMax.getInt(i), 1.0);
        }
        return new DataSet(x, labels);
    }
}
