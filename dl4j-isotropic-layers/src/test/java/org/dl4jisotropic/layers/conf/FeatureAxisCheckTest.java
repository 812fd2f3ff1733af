package org.dl4jisotropic.layers.conf;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.dl4jisotropic.core.testing.TestArrays.randomOrthogonal;
import static org.dl4jisotropic.core.testing.TestArrays.rotateAlong;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.core.testing.DoublePrecision;
import org.dl4jisotropic.core.testing.Tolerances;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** FeatureAxisCheck: the harm of a mismatched axis is real, and the check refuses it, naming the layer. */
@ExtendWith(DoublePrecision.class)
class FeatureAxisCheckTest {

    private static final long SEED = 1414L;
    private static final double O = 0.1;
    /** A mismatched axis misses equivariance by far more than this (about 0.2 to 0.4 measured). */
    private static final double CLEARLY_NOT_EQUIVARIANT = 1e-2;

    @Test
    void nhwcConvolutionWithChannelsLastAxisCommutesWithChannelRotations() {
        assertEquals(0.0, rotationDefect(FeatureAxis.CHANNELS_LAST), Tolerances.EQUIVARIANCE_F64);
    }

    @Test
    void nhwcConvolutionWithChannelsFirstAxisDoesNotCommuteWithChannelRotations() {
        assertTrue(rotationDefect(FeatureAxis.CHANNELS_FIRST) > CLEARLY_NOT_EQUIVARIANT);
    }

    @Test
    void refusesAnNhwcConvolutionWithTheChannelsFirstAxis() {
        MultiLayerConfiguration conf = nhwcConvolution(FeatureAxis.CHANNELS_FIRST);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureAxisCheck.requireMatchingAxes(conf));

        assertTrue(e.getMessage().contains("layer 0 (name \"conv\"") && e.getMessage().contains("NHWC")
                && e.getMessage().contains("CHANNELS_LAST"), e.getMessage());
    }

    @Test
    void acceptsAnNhwcConvolutionWithTheChannelsLastAxis() {
        assertDoesNotThrow(() -> FeatureAxisCheck.requireMatchingAxes(nhwcConvolution(FeatureAxis.CHANNELS_LAST)));
    }

    @Test
    void refusesAnActivationLayerAfterAnNhwcConvolutionWithTheChannelsFirstAxis() {
        MultiLayerConfiguration conf = convolutionThenActivationLayer(CNN2DFormat.NHWC, FeatureAxis.CHANNELS_FIRST);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureAxisCheck.requireMatchingAxes(conf));

        assertTrue(e.getMessage().contains("layer 2 (name \"act\""), e.getMessage());
    }

    @Test
    void refusesAnActivationLayerAfterAnNchwConvolutionWithTheChannelsLastAxis() {
        MultiLayerConfiguration conf = convolutionThenActivationLayer(CNN2DFormat.NCHW, FeatureAxis.CHANNELS_LAST);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureAxisCheck.requireMatchingAxes(conf));

        assertTrue(e.getMessage().contains("layer 2 (name \"act\""), e.getMessage());
    }

    @Test
    void acceptsMatchingAxesOnConvolutionsActivationLayersPoolingAndDenseLayers() {
        for (CNN2DFormat format : CNN2DFormat.values()) {
            MultiLayerConfiguration conf = convolutionThenActivationLayer(format,
                    FeatureAxisCheck.requiredAxis(format));
            assertDoesNotThrow(() -> FeatureAxisCheck.requireMatchingAxes(conf), format.name());
        }
    }

    @Test
    void refusesAChannelsLastIsotropicActivationLayerAfterAnNchwConvolutionBuiltWithoutInputType() {
        // without setInputType nothing checks the layer when the configuration is built
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new IsotropicActivationLayer.Builder().name("iso")
                        .activation(new IsotropicTanh(O, FeatureAxis.CHANNELS_LAST)).build())
                .build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureAxisCheck.requireMatchingAxes(conf));

        assertTrue(e.getMessage().contains("layer 1 (name \"iso\""), e.getMessage());
    }

    @Test
    void refusesAnNwcConvolution1DWithTheChannelsFirstAxis() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new Convolution1D.Builder().name("conv1d").kernelSize(2).nOut(4)
                        .activation(new IsotropicTanh(O, FeatureAxis.CHANNELS_FIRST)).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.recurrent(3, 7, RNNFormat.NWC)).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureAxisCheck.requireMatchingAxes(conf));

        assertTrue(e.getMessage().contains("layer 0 (name \"conv1d\"") && e.getMessage().contains("NWC"),
                e.getMessage());
    }

    @Test
    void anActivationLayerWhoseInputFormatIsUnknownIsRefusedUnlessTheInputTypeIsGiven() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new ActivationLayer.Builder().name("first").activation(new IsotropicTanh(O)).build())
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).build())
                .build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureAxisCheck.requireMatchingAxes(conf));

        assertTrue(e.getMessage().contains("layer 0 (name \"first\"") && e.getMessage().contains("inputType"),
                e.getMessage());
        assertDoesNotThrow(() -> FeatureAxisCheck.requireMatchingAxes(conf, InputType.feedForward(4)));
    }

    @Test
    void theInputTypeOverloadRefusesAMismatchOnTheNetworkInput() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new ActivationLayer.Builder().name("first").activation(new IsotropicTanh(O)).build())
                .build();

        assertThrows(IllegalArgumentException.class,
                () -> FeatureAxisCheck.requireMatchingAxes(conf, InputType.convolutional(5, 5, 3, CNN2DFormat.NHWC)));
    }

    /**
     * Rotates the output channels of the NHWC convolution by R (filters and bias) and returns
     * {@code max |f(R-rotated network)(x) - R f(x)|} over the first layer's activations.
     */
    private static double rotationDefect(FeatureAxis axis) {
        MultiLayerNetwork net = new MultiLayerNetwork(nhwcConvolution(axis));
        net.init();
        INDArray x = gaussian(SEED, DataType.DOUBLE, 2, 6, 6, 3);
        INDArray before = net.feedForward(x, false).get(1);

        INDArray r = randomOrthogonal(SEED + 3, 4, DataType.DOUBLE);
        INDArray w = net.getParam("0_W").dup('c');   // [nOut, nIn, kH, kW]
        INDArray rotatedW = r.mmul(w.reshape('c', 4, w.length() / 4)).reshape('c', w.shape());
        INDArray b = net.getParam("0_b").dup('c');
        net.setParam("0_W", rotatedW);
        net.setParam("0_b", r.mmul(b.reshape(4, 1)).reshape(b.shape()));
        INDArray after = net.feedForward(x, false).get(1);

        return maxAbsDifference(rotateAlong(before, 3, r), after);
    }

    /** An NHWC convolution "conv" with an isotropic activation on the given axis, then pooling and a classifier. */
    private static MultiLayerConfiguration nhwcConvolution(FeatureAxis axis) {
        return new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(4)
                        .activation(new IsotropicTanh(O, axis)).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 6, 3, CNN2DFormat.NHWC)).build();
    }

    /** conv(IDENTITY) -> AVG pooling -> ActivationLayer "act" (isotropic) -> dense with a channels-last axis. */
    private static MultiLayerConfiguration convolutionThenActivationLayer(CNN2DFormat format, FeatureAxis axis) {
        return new NeuralNetConfiguration.Builder().seed(SEED).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ActivationLayer.Builder().name("act").activation(new IsotropicTanh(O, axis)).build())
                .layer(new DenseLayer.Builder().nOut(5)
                        .activation(new IsotropicTanh(O, FeatureAxis.CHANNELS_LAST)).build())
                .layer(new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 6, 3, format)).build();
    }
}
