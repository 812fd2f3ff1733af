package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.testing.TestData;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Small convolutional networks on 2-channel 8 x 8 inputs with 3 classes, one per layer combination that channel
 * surgery supports. Hidden convolutions use an isotropic tanh over the channels (o = 0.1).
 */
enum ConvNetworks {

    /** conv 3x3 (5) -> conv 3x3 (4), Truncate -> flatten -> output. */
    CONV_CONV_TRUNCATE(CNN2DFormat.NCHW) {
        @Override
        void hidden(ListBuilder list) {
            list.layer(conv(5, 1, ConvolutionMode.Truncate)).layer(conv(4, 1, ConvolutionMode.Truncate));
        }
    },
    /** conv 3x3 (5), Same -> conv 3x3 stride 2 (4), Same -> flatten -> output. */
    CONV_CONV_SAME_STRIDE_2(CNN2DFormat.NCHW) {
        @Override
        void hidden(ListBuilder list) {
            list.layer(conv(5, 1, ConvolutionMode.Same)).layer(conv(4, 2, ConvolutionMode.Same));
        }
    },
    /** conv 3x3 (5) -> average pool 2x2 -> conv 3x3 (4) -> flatten -> output. */
    CONV_AVERAGE_POOL_CONV(CNN2DFormat.NCHW) {
        @Override
        void hidden(ListBuilder list) {
            list.layer(conv(5, 1, ConvolutionMode.Same)).layer(averagePool())
                    .layer(conv(4, 1, ConvolutionMode.Truncate));
        }
    },
    /** conv 3x3 (5) -> flatten (NCHW) -> isotropic dense (6) -> output. */
    CONV_FLATTEN_DENSE_NCHW(CNN2DFormat.NCHW) {
        @Override
        void hidden(ListBuilder list) {
            list.layer(conv(5, 1, ConvolutionMode.Truncate)).layer(dense(6));
        }
    },
    /** As {@link #CONV_FLATTEN_DENSE_NCHW} with channels-last data (the flatten interleaves channels). */
    CONV_FLATTEN_DENSE_NHWC(CNN2DFormat.NHWC) {
        @Override
        void hidden(ListBuilder list) {
            list.layer(conv(5, 1, ConvolutionMode.Truncate)).layer(dense(6));
        }
    },
    /** conv 3x3 (5) -> zero padding 1 -> upsampling 2x -> cropping 2 -> conv 3x3 (4) -> flatten -> output. */
    CONV_PAD_UPSAMPLE_CROP_CONV(CNN2DFormat.NCHW) {
        @Override
        void hidden(ListBuilder list) {
            list.layer(conv(5, 1, ConvolutionMode.Truncate))
                    .layer(new ZeroPaddingLayer.Builder(1, 1).dataFormat(format()).build())
                    .layer(new Upsampling2D.Builder(2).dataFormat(format()).build())
                    .layer(new Cropping2D.Builder(2, 2).dataFormat(format()).build())
                    .layer(conv(4, 2, ConvolutionMode.Truncate));
        }
    },
    /** conv 3x3 (5) -> global average pooling -> isotropic dense (6) -> output. */
    CONV_GLOBAL_AVERAGE_POOL_DENSE(CNN2DFormat.NCHW) {
        @Override
        void hidden(ListBuilder list) {
            list.layer(conv(5, 1, ConvolutionMode.Same))
                    .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build()).layer(dense(6));
        }
    };

    static final int CHANNELS = 2;
    static final int SIZE = 8;
    static final int CLASSES = 3;
    static final double SQUARED_LENGTH = 0.1;

    private final CNN2DFormat format;

    ConvNetworks(CNN2DFormat format) {
        this.format = format;
    }

    /** Adds the hidden layers. */
    abstract void hidden(ListBuilder list);

    /** The data format of every convolution and of the inputs. */
    CNN2DFormat format() {
        return format;
    }

    /** The initialized network in the given precision, with Adam. */
    MultiLayerNetwork build(DataType type) {
        ListBuilder list = new NeuralNetConfiguration.Builder().seed(11).dataType(type).updater(new Adam(1e-2))
                .list();
        hidden(list);
        MultiLayerNetwork net = new MultiLayerNetwork(list.layer(new OutputLayer.Builder(
                        LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(CLASSES).build())
                .setInputType(InputType.convolutional(SIZE, SIZE, CHANNELS, format)).build());
        net.init();
        return net;
    }

    /**
     * The network after a few Adam steps, so that biases and optimizer state are non-trivial: a fresh copy of one
     * network trained once per shape and precision (training is the slow part of these tests).
     */
    MultiLayerNetwork trained(DataType type) {
        return TRAINED.computeIfAbsent(name() + type, key -> {
            MultiLayerNetwork net = build(type);
            for (int i = 0; i < 3; i++) {
                net.fit(inputs(type, 16, i), TestData.oneHot(300 + i, type, 16, CLASSES));
            }
            return net;
        }).clone();
    }

    private static final Map<String, MultiLayerNetwork> TRAINED = new ConcurrentHashMap<>();

    /** Random inputs in this network's data format. */
    INDArray inputs(DataType type, int rows, long salt) {
        return format == CNN2DFormat.NCHW ? gaussian(500 + salt, type, rows, CHANNELS, SIZE, SIZE)
                : gaussian(500 + salt, type, rows, SIZE, SIZE, CHANNELS);
    }

    ConvolutionLayer conv(int channels, int stride, ConvolutionMode mode) {
        return new ConvolutionLayer.Builder(3, 3).stride(stride, stride).convolutionMode(mode).nOut(channels)
                .dataFormat(format).activation(new IsotropicTanh(SQUARED_LENGTH, axis())).build();
    }

    DenseLayer dense(int width) {
        return new DenseLayer.Builder().nOut(width).activation(new IsotropicTanh(SQUARED_LENGTH)).build();
    }

    SubsamplingLayer averagePool() {
        return new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).dataFormat(format)
                .build();
    }

    FeatureAxis axis() {
        return format == CNN2DFormat.NCHW ? FeatureAxis.CHANNELS_FIRST : FeatureAxis.CHANNELS_LAST;
    }
}
