package org.dl4jisotropic.layers.conf;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbs;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.core.testing.DoublePrecision;
import org.dl4jisotropic.core.testing.Tolerances;
import org.dl4jisotropic.layers.activation.IsotropicActivation;
import org.dl4jisotropic.layers.activation.IsotropicLog1p;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.testing.GradientChecks;
import org.dl4jisotropic.layers.testing.IsolatedLayer;
import org.dl4jisotropic.layers.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The backward pass of IsotropicActivationLayer, including the scale channel's derivative. */
@ExtendWith(DoublePrecision.class)
class IsotropicActivationLayerGradientTest {

    private static final long SEED = 2718L;
    /** Central-difference step for the isolated check: truncation ~1e-10, rounding ~1e-11 at O(1) values. */
    private static final double FINITE_DIFFERENCE_STEP = 1e-5;

    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of("feed-forward", new long[] {3, 5}, new IsotropicTanh(0.3), null),
                Arguments.of("NCHW", new long[] {2, 3, 3, 4}, new IsotropicTanh(0.1, FeatureAxis.CHANNELS_FIRST),
                        CNN2DFormat.NCHW),
                Arguments.of("NHWC", new long[] {2, 3, 4, 3}, new IsotropicLog1p(0.2, FeatureAxis.CHANNELS_LAST),
                        CNN2DFormat.NHWC));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void backpropMatchesFiniteDifferencesOfTheOutputIncludingTheScaleChannel(String name, long[] shape,
                                                                            IsotropicActivation activation,
                                                                            CNN2DFormat format) {
        IsotropicActivationLayer.Builder builder = new IsotropicActivationLayer.Builder().activation(activation);
        if (format != null) {
            builder.dataFormat(format);
        }
        IsolatedLayer layer = new IsolatedLayer(builder.build());
        INDArray a = gaussian(SEED, DataType.DOUBLE, shape);
        INDArray epsilon = gaussian(SEED + 1, DataType.DOUBLE, layer.forward(a).shape());

        INDArray analytic = layer.backward(a, epsilon);
        INDArray numeric = layer.finiteDifferenceGradient(a, epsilon, FINITE_DIFFERENCE_STEP);

        double relative = maxAbsDifference(analytic, numeric) / maxAbs(numeric);
        assertTrue(relative <= Tolerances.GRADIENT_F64, name + ": relative error " + relative);
    }

    @Test
    void denseIdentityThenIsotropicActivationLayerPassesGradientCheck() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED)
                .dataType(DataType.DOUBLE).updater(new NoOp()).list()
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.IDENTITY).build())
                .layer(new IsotropicActivationLayer.Builder().activation(new IsotropicTanh(0.3)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.feedForward(4)).build());
        net.init();

        assertTrue(GradientChecks.passes(net, gaussian(SEED, DataType.DOUBLE, 6, 4),
                TestData.oneHot(SEED, DataType.DOUBLE, 6, 3)));
    }

    @Test
    void nchwConvolutionIsotropicActivationLayerAveragePoolingPassesGradientCheck() {
        MultiLayerNetwork net = convolutional(CNN2DFormat.NCHW, FeatureAxis.CHANNELS_FIRST);

        assertTrue(GradientChecks.passes(net, gaussian(SEED, DataType.DOUBLE, 3, 2, 6, 6),
                TestData.oneHot(SEED, DataType.DOUBLE, 3, 3)));
    }

    @Test
    void nhwcConvolutionIsotropicActivationLayerAveragePoolingPassesGradientCheck() {
        MultiLayerNetwork net = convolutional(CNN2DFormat.NHWC, FeatureAxis.CHANNELS_LAST);

        assertTrue(GradientChecks.passes(net, gaussian(SEED, DataType.DOUBLE, 3, 6, 6, 2),
                TestData.oneHot(SEED, DataType.DOUBLE, 3, 3)));
    }

    /** conv 3x3 (IDENTITY) -> IsotropicActivationLayer -> AVG 2x2 pooling -> dense -> softmax, 6x6x2 input. */
    private static MultiLayerNetwork convolutional(CNN2DFormat format, FeatureAxis axis) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED)
                .dataType(DataType.DOUBLE).updater(new NoOp()).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.IDENTITY).build())
                .layer(new IsotropicActivationLayer.Builder().activation(new IsotropicTanh(0.2, axis)).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.convolutional(6, 6, 2, format)).build());
        net.init();
        return net;
    }
}
