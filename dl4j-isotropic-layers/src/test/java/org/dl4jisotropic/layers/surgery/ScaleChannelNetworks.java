package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.conf.IsotropicActivationLayer;
import org.dl4jisotropic.layers.testing.TestData;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A CNN whose convolutions pass their scale on ({@code ConvolutionLayer(IDENTITY)} then
 * {@code IsotropicActivationLayer}), so channels can be removed exactly: 2 x 8 x 8 inputs, conv 3x3 Same (5) ->
 * average pool 2x2 -> conv 3x3 Same stride 2 (4) -> flatten -> 3 softmax outputs. DL4J layers: 0 conv, 1 activation,
 * 2 pool, 3 conv, 4 activation, 5 output; hidden layers 0 and 1 of surgery.
 */
final class ScaleChannelNetworks {

    static final double SQUARED_LENGTH = 0.1;
    /** DL4J index of each hidden convolution. */
    static final int[] CONV_LAYERS = {0, 3};
    /** DL4J index of each convolution's activation layer. */
    static final int[] ACTIVATION_LAYERS = {1, 4};
    /** DL4J index of the consumer of each hidden layer. */
    static final int[] CONSUMERS = {3, 5};

    private ScaleChannelNetworks() {
    }

    static MultiLayerNetwork build(DataType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(21).dataType(type)
                .updater(new Adam(1e-2)).list()
                .layer(conv(5, 1))
                .layer(activation())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                .layer(conv(4, 2))
                .layer(activation())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.convolutional(8, 8, 2, CNN2DFormat.NCHW)).build());
        net.init();
        return net;
    }

    /** The network after a few Adam steps. */
    static MultiLayerNetwork trained(DataType type) {
        MultiLayerNetwork net = build(type);
        for (int i = 0; i < 3; i++) {
            net.fit(inputs(type, 16, i), TestData.oneHot(700 + i, type, 16, 3));
        }
        return net;
    }

    static INDArray inputs(DataType type, int rows, long salt) {
        return gaussian(900 + salt, type, rows, 2, 8, 8);
    }

    /**
     * Makes channel {@code channel} of the convolution at DL4J index {@code layer} constant: zero filter, bias 0.7.
     * Works on copies and sets them back, since indexing a late conv layer's live weight view can return an empty
     * array in M2.1.
     */
    static void makeConstant(MultiLayerNetwork net, int layer, int channel) {
        INDArray w = net.getLayer(layer).getParam("W").dup();
        w.get(org.nd4j.linalg.indexing.NDArrayIndex.point(channel)).assign(0.0);
        net.getLayer(layer).setParam("W", w);
        INDArray b = net.getLayer(layer).getParam("b").dup();
        b.putScalar(channel, 0.7);
        net.getLayer(layer).setParam("b", b);
    }

    private static ConvolutionLayer conv(int channels, int stride) {
        return new ConvolutionLayer.Builder(3, 3).stride(stride, stride).convolutionMode(ConvolutionMode.Same)
                .nOut(channels).activation(Activation.IDENTITY).build();
    }

    private static IsotropicActivationLayer activation() {
        return new IsotropicActivationLayer.Builder().activation(new IsotropicTanh(SQUARED_LENGTH)).build();
    }
}
