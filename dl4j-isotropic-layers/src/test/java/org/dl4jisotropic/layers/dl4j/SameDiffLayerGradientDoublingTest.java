package org.dl4jisotropic.layers.dl4j;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.testing.DoublePrecision;
import org.dl4jisotropic.layers.testing.GradientChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Documents a DL4J 1.0.0-M2.1 defect that shapes this project: a SameDiff layer inside a MultiLayerNetwork passes
 * back gradients exactly twice too large to every layer below it. This is why our DL4J layers never use SameDiff.
 * If a DL4J upgrade fixes it, these tests fail: revisit the design note in README and dl4j-notes then.
 */
@ExtendWith(DoublePrecision.class)
class SameDiffLayerGradientDoublingTest {

    private static final long SEED = 3L;
    /** The defect: every gradient entry is exactly twice the stock layer's, up to float64 rounding of the ratio. */
    private static final double DOUBLED = 2.0;
    private static final double RATIO_F64 = 1e-9;

    @Test
    void sameDiffLambdaLayerDoublesTheGradientOfTheLayerBelowIt() {
        MultiLayerNetwork sameDiff = network(new TanhLambdaLayer());
        MultiLayerNetwork stock = network(new ActivationLayer.Builder().activation(Activation.TANH).build());
        stock.setParams(sameDiff.params());
        INDArray input = gaussian(SEED, DataType.DOUBLE, 5, 3);
        INDArray labels = gaussian(SEED + 1, DataType.DOUBLE, 5, 2);

        INDArray sameDiffGradient = gradientOfFirstLayer(sameDiff, input, labels);
        INDArray stockGradient = gradientOfFirstLayer(stock, input, labels);

        INDArray ratio = sameDiffGradient.div(stockGradient);
        assertEquals(DOUBLED, ratio.minNumber().doubleValue(), RATIO_F64);
        assertEquals(DOUBLED, ratio.maxNumber().doubleValue(), RATIO_F64);
    }

    @Test
    void gradientCheckUtilCatchesTheDoubledGradient() {
        MultiLayerNetwork sameDiff = network(new TanhLambdaLayer());
        INDArray input = gaussian(SEED, DataType.DOUBLE, 5, 3);
        INDArray labels = gaussian(SEED + 1, DataType.DOUBLE, 5, 2);

        assertFalse(GradientChecks.passes(sameDiff, input, labels),
                "GradientCheckUtil passed a SameDiff layer: has DL4J fixed the doubled gradients?");
    }

    private static MultiLayerNetwork network(Layer activation) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED)
                .dataType(DataType.DOUBLE).updater(new NoOp()).list()
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).build())
                .layer(activation)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nOut(2).build())
                .setInputType(InputType.feedForward(3)).build());
        net.init();
        return net;
    }

    private static INDArray gradientOfFirstLayer(MultiLayerNetwork net, INDArray input, INDArray labels) {
        net.setInput(input);
        net.setLabels(labels);
        net.computeGradientAndScore();
        return net.gradient().getGradientFor("0_W").dup();
    }
}
