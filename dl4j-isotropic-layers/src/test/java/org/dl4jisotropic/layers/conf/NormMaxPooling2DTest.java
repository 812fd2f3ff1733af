package org.dl4jisotropic.layers.conf;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbs;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.dl4jisotropic.core.testing.TestArrays.randomOrthogonal;
import static org.dl4jisotropic.core.testing.TestArrays.rotateAlong;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.core.testing.DoublePrecision;
import org.dl4jisotropic.core.testing.Tolerances;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.testing.IsolatedLayer;
import org.dl4jisotropic.layers.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/** NormMaxPooling2D: selection by channel-vector norm, shapes as DL4J's pooling, rotation equivariance, JSON. */
@ExtendWith(DoublePrecision.class)
class NormMaxPooling2DTest {

    private static final long SEED = 1618L;
    /** DL4J's per-channel max pooling must miss equivariance by at least this much (it misses by ~0.1 to 1). */
    private static final double CLEARLY_NOT_EQUIVARIANT = 1e-2;

    @TempDir
    Path dir;

    /** kernel, stride, mode, format, input height and width: overlapping, non-overlapping, odd sizes, Same. */
    static Stream<Arguments> geometries() {
        return Stream.of(
                Arguments.of(2, 2, ConvolutionMode.Truncate, CNN2DFormat.NCHW, 6, 6),
                Arguments.of(3, 2, ConvolutionMode.Truncate, CNN2DFormat.NHWC, 7, 6),
                Arguments.of(3, 1, ConvolutionMode.Truncate, CNN2DFormat.NCHW, 5, 4),
                Arguments.of(2, 2, ConvolutionMode.Same, CNN2DFormat.NHWC, 5, 7),
                Arguments.of(3, 2, ConvolutionMode.Same, CNN2DFormat.NCHW, 6, 5),
                Arguments.of(3, 1, ConvolutionMode.Same, CNN2DFormat.NHWC, 5, 6));   // padding 1 on top and left
    }

    @ParameterizedTest(name = "k{0} s{1} {2} {3} {4}x{5}")
    @MethodSource("geometries")
    void eachWindowKeepsTheChannelVectorWithTheLargestNorm(int kernel, int stride, ConvolutionMode mode,
                                                           CNN2DFormat format, int height, int width) {
        INDArray x = input(format, height, width, 4);
        IsolatedLayer layer = new IsolatedLayer(pooling(kernel, stride, mode, format));

        INDArray out = layer.forward(x);

        assertEquals(0.0, maxAbsDifference(handWritten(x, kernel, stride, mode, format), out), Tolerances.IDENTICAL);
    }

    @ParameterizedTest(name = "k{0} s{1} {2} {3} {4}x{5}")
    @MethodSource("geometries")
    void outputShapeEqualsDl4jMaxPooling(int kernel, int stride, ConvolutionMode mode, CNN2DFormat format,
                                         int height, int width) {
        INDArray x = input(format, height, width, 3);

        long[] ours = new IsolatedLayer(pooling(kernel, stride, mode, format)).forward(x).shape();
        long[] dl4j = new IsolatedLayer(stockMax(kernel, stride, mode, format)).forward(x).shape();

        assertArrayEquals(dl4j, ours);
    }

    @ParameterizedTest(name = "k{0} s{1} {2} {3} {4}x{5}")
    @MethodSource("geometries")
    void withOneNonNegativeChannelEqualsDl4jMaxPooling(int kernel, int stride, ConvolutionMode mode,
                                                       CNN2DFormat format, int height, int width) {
        // the norm of a one-channel vector is |x|, so on x >= 0 the selection is DL4J's max (windows, padding)
        INDArray x = Transforms.abs(input(format, height, width, 1));

        INDArray ours = new IsolatedLayer(pooling(kernel, stride, mode, format)).forward(x);
        INDArray dl4j = new IsolatedLayer(stockMax(kernel, stride, mode, format)).forward(x);

        assertEquals(0.0, maxAbsDifference(dl4j, ours), Tolerances.IDENTICAL);
    }

    @ParameterizedTest(name = "k{0} s{1} {2} {3} {4}x{5}")
    @MethodSource("geometries")
    void commutesWithRotationsOfTheChannels(int kernel, int stride, ConvolutionMode mode, CNN2DFormat format,
                                            int height, int width) {
        INDArray x = input(format, height, width, 5);
        INDArray r = randomOrthogonal(SEED + 7, 5, DataType.DOUBLE);
        int channelDim = format == CNN2DFormat.NCHW ? 1 : 3;
        IsolatedLayer layer = new IsolatedLayer(pooling(kernel, stride, mode, format));

        INDArray rotatedFirst = layer.forward(rotateAlong(x, channelDim, r));
        INDArray rotatedAfter = rotateAlong(layer.forward(x), channelDim, r);

        assertEquals(0.0, maxAbsDifference(rotatedFirst, rotatedAfter), Tolerances.EQUIVARIANCE_F64);
    }

    @Test
    void float32CommutesWithRotationsOfTheChannelsToFloatPrecision() {
        INDArray x = input(CNN2DFormat.NHWC, 6, 7, 5).castTo(DataType.FLOAT);
        INDArray r = randomOrthogonal(SEED + 7, 5, DataType.FLOAT);
        IsolatedLayer layer = new IsolatedLayer(pooling(3, 2, ConvolutionMode.Same, CNN2DFormat.NHWC), DataType.FLOAT);

        INDArray rotatedFirst = layer.forward(rotateAlong(x, 3, r));
        INDArray rotatedAfter = rotateAlong(layer.forward(x), 3, r);

        assertEquals(DataType.FLOAT, rotatedFirst.dataType());
        assertTrue(maxAbsDifference(rotatedFirst, rotatedAfter) <= Tolerances.FLOAT32_RELATIVE * maxAbs(rotatedAfter));
    }

    @Test
    void dl4jMaxPoolingDoesNotCommuteWithRotationsOfTheChannels() {
        INDArray x = input(CNN2DFormat.NCHW, 6, 6, 5);
        INDArray r = randomOrthogonal(SEED + 7, 5, DataType.DOUBLE);
        IsolatedLayer layer = new IsolatedLayer(stockMax(2, 2, ConvolutionMode.Truncate, CNN2DFormat.NCHW));

        INDArray rotatedFirst = layer.forward(rotateAlong(x, 1, r));
        INDArray rotatedAfter = rotateAlong(layer.forward(x), 1, r);

        assertTrue(maxAbsDifference(rotatedFirst, rotatedAfter) > CLEARLY_NOT_EQUIVARIANT);
    }

    @Test
    void tiesGoToTheFirstPositionInRowMajorOrder() {
        // four different channel vectors of norm exactly 1 in one 2x2 window: (0, 1), (1, 0), (-1, 0), (0, -1)
        INDArray x = Nd4j.create(new double[] {0, 1, -1, 0, 1, 0, 0, -1}, new long[] {1, 2, 2, 2}, 'c');
        IsolatedLayer layer = new IsolatedLayer(pooling(2, 2, ConvolutionMode.Truncate, CNN2DFormat.NCHW));

        INDArray out = layer.forward(x);

        assertEquals(0.0, out.getDouble(0, 0, 0, 0), Tolerances.IDENTICAL);
        assertEquals(1.0, out.getDouble(0, 1, 0, 0), Tolerances.IDENTICAL);
    }

    @Test
    void setInputTypeTakesTheFormatAndKeepsTheChannelCount() {
        MultiLayerConfiguration conf = network(CNN2DFormat.NHWC);

        NormMaxPooling2D pool = (NormMaxPooling2D) conf.getConf(2).getLayer();
        ConvolutionLayer next = (ConvolutionLayer) conf.getConf(3).getLayer();

        assertEquals(CNN2DFormat.NHWC, pool.dataFormat());
        assertEquals(4 + 1, next.getNIn());
    }

    @Test
    void builderRefusesAZeroStride() {
        NormMaxPooling2D.Builder builder = new NormMaxPooling2D.Builder().name("pool").stride(0, 2);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);

        assertTrue(e.getMessage().contains("\"pool\"") && e.getMessage().contains("stride"), e.getMessage());
    }

    @Test
    void jsonRoundTripKeepsKernelStrideModeAndFormat() {
        MultiLayerConfiguration conf = network(CNN2DFormat.NHWC);

        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(conf.toJson());

        assertEquals(conf, restored);
        NormMaxPooling2D pool = (NormMaxPooling2D) restored.getConf(2).getLayer();
        assertArrayEquals(new int[] {3, 3}, pool.kernelSize());
        assertArrayEquals(new int[] {2, 1}, pool.stride());
        assertEquals(ConvolutionMode.Same, pool.convolutionMode());
    }

    @Test
    void modelSerializerRoundTripKeepsOutputsAndUpdaterState() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(network(CNN2DFormat.NCHW));
        net.init();
        INDArray x = gaussian(SEED, DataType.DOUBLE, 4, 2, 8, 8);
        INDArray y = TestData.oneHot(SEED, DataType.DOUBLE, 4, 3);
        net.fit(x, y);
        File file = dir.resolve("model.zip").toFile();

        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);

        assertEquals(net.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(net.output(x), restored.output(x));
    }

    /** conv(IDENTITY) -> IsotropicActivationLayer -> NormMaxPooling2D 3x3 s(2,1) Same -> conv -> output, 8x8x2. */
    private static MultiLayerConfiguration network(CNN2DFormat format) {
        FeatureAxis axis = FeatureAxisCheck.requiredAxis(format);
        return new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE).updater(new Adam(1e-2))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new IsotropicActivationLayer.Builder().activation(new IsotropicTanh(0.2, axis)).build())
                .layer(new NormMaxPooling2D.Builder().kernelSize(3, 3).stride(2, 1)
                        .convolutionMode(ConvolutionMode.Same).build())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.convolutional(8, 8, 2, format)).build();
    }

    static NormMaxPooling2D pooling(int kernel, int stride, ConvolutionMode mode, CNN2DFormat format) {
        return new NormMaxPooling2D.Builder().kernelSize(kernel, kernel).stride(stride, stride).convolutionMode(mode)
                .dataFormat(format).build();
    }

    private static SubsamplingLayer stockMax(int kernel, int stride, ConvolutionMode mode, CNN2DFormat format) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(kernel, kernel)
                .stride(stride, stride).convolutionMode(mode).dataFormat(format).build();
    }

    static INDArray input(CNN2DFormat format, int height, int width, int channels) {
        return format == CNN2DFormat.NCHW ? gaussian(SEED, DataType.DOUBLE, 2, channels, height, width)
                : gaussian(SEED, DataType.DOUBLE, 2, height, width, channels);
    }

    /** Norm-max pooling by plain loops: Same mode pads (k - 1 + (out - 1) s - in + 1) / 2 rows on top. */
    private static INDArray handWritten(INDArray x, int k, int s, ConvolutionMode mode, CNN2DFormat format) {
        INDArray nchw = format == CNN2DFormat.NCHW ? x : x.permute(0, 3, 1, 2);
        int n = (int) nchw.size(0);
        int c = (int) nchw.size(1);
        int h = (int) nchw.size(2);
        int w = (int) nchw.size(3);
        boolean same = mode == ConvolutionMode.Same;
        int oh = same ? (int) Math.ceil(h / (double) s) : (h - k) / s + 1;
        int ow = same ? (int) Math.ceil(w / (double) s) : (w - k) / s + 1;
        int top = same ? Math.max(0, ((oh - 1) * s + k - h) / 2) : 0;
        int left = same ? Math.max(0, ((ow - 1) * s + k - w) / 2) : 0;
        INDArray out = Nd4j.zeros(DataType.DOUBLE, n, c, oh, ow);
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int bestH = -1;
                    int bestW = -1;
                    double best = -1.0;
                    for (int di = 0; di < k; di++) {
                        for (int dj = 0; dj < k; dj++) {
                            int hh = i * s - top + di;
                            int ww = j * s - left + dj;
                            if (hh < 0 || hh >= h || ww < 0 || ww >= w) {
                                continue;
                            }
                            double norm = 0.0;
                            for (int ch = 0; ch < c; ch++) {
                                double v = nchw.getDouble(b, ch, hh, ww);
                                norm += v * v;
                            }
                            if (norm > best) {
                                best = norm;
                                bestH = hh;
                                bestW = ww;
                            }
                        }
                    }
                    for (int ch = 0; ch < c; ch++) {
                        out.putScalar(new long[] {b, ch, i, j}, nchw.getDouble(b, ch, bestH, bestW));
                    }
                }
            }
        }
        return format == CNN2DFormat.NCHW ? out : out.permute(0, 2, 3, 1).dup('c');
    }
}
