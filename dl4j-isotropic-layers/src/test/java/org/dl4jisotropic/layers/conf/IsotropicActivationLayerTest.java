package org.dl4jisotropic.layers.conf;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbs;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.core.testing.DoublePrecision;
import org.dl4jisotropic.core.testing.Tolerances;
import org.dl4jisotropic.layers.activation.IsotropicLog1p;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.testing.IsolatedLayer;
import org.dl4jisotropic.layers.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** IsotropicActivationLayer: output [y, s] against a hand-written formula, shapes, axis checks, serialization. */
@ExtendWith(DoublePrecision.class)
class IsotropicActivationLayerTest {

    private static final long SEED = 314L;
    private static final double O = 0.3;

    @TempDir
    Path dir;

    @Test
    void feedForwardOutputIsTheActivationFollowedByTheScaleColumn() {
        INDArray a = gaussian(SEED, DataType.DOUBLE, 4, 5);
        IsolatedLayer layer = new IsolatedLayer(new IsotropicActivationLayer.Builder()
                .activation(new IsotropicTanh(O)).build());

        INDArray out = layer.forward(a);

        assertEquals(0.0, maxAbsDifference(handWritten(a, 1, O), out), Tolerances.SAME_FORMULA_F64);
    }

    @Test
    void nchwOutputAppendsTheScaleMapAsTheLastChannel() {
        INDArray a = gaussian(SEED, DataType.DOUBLE, 2, 3, 4, 5);
        IsolatedLayer layer = new IsolatedLayer(new IsotropicActivationLayer.Builder()
                .activation(new IsotropicTanh(O, FeatureAxis.CHANNELS_FIRST)).dataFormat(CNN2DFormat.NCHW).build());

        INDArray out = layer.forward(a);

        assertArrayEquals(new long[] {2, 4, 4, 5}, out.shape());
        assertEquals(0.0, maxAbsDifference(handWritten(a, 1, O), out), Tolerances.SAME_FORMULA_F64);
    }

    @Test
    void nhwcOutputAppendsTheScaleMapAsTheLastChannel() {
        INDArray a = gaussian(SEED, DataType.DOUBLE, 2, 4, 5, 3);
        IsolatedLayer layer = new IsolatedLayer(new IsotropicActivationLayer.Builder()
                .activation(new IsotropicLog1p(O, FeatureAxis.CHANNELS_LAST)).dataFormat(CNN2DFormat.NHWC).build());

        INDArray out = layer.forward(a);

        assertArrayEquals(new long[] {2, 4, 5, 4}, out.shape());
        assertEquals(0.0, maxAbsDifference(handWrittenLog1p(a, 3, O), out), Tolerances.SAME_FORMULA_F64);
    }

    @Test
    void float32OutputMatchesTheFormulaToFloatPrecision() {
        INDArray a = gaussian(SEED, DataType.FLOAT, 2, 3, 4, 5);
        IsolatedLayer layer = new IsolatedLayer(new IsotropicActivationLayer.Builder()
                .activation(new IsotropicTanh(O)).build(), DataType.FLOAT);

        INDArray out = layer.forward(a);

        INDArray expected = handWritten(a.castTo(DataType.DOUBLE), 1, O);
        assertEquals(DataType.FLOAT, out.dataType());
        assertTrue(maxAbsDifference(expected, out) <= Tolerances.FLOAT32_RELATIVE * maxAbs(expected));
    }

    @Test
    void setInputTypeGivesTheNextConvolutionOneMoreInputChannel() {
        MultiLayerConfiguration conf = convolutional(CNN2DFormat.NCHW, FeatureAxis.CHANNELS_FIRST);

        ConvolutionLayer next = (ConvolutionLayer) conf.getConf(2).getLayer();

        assertEquals(4 + 1, next.getNIn());
    }

    @Test
    void setInputTypeGivesTheNextDenseLayerOneMoreInputColumn() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.IDENTITY).build())
                .layer(new IsotropicActivationLayer.Builder().build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.feedForward(3)).build();

        assertEquals(6 + 1, ((OutputLayer) conf.getConf(2).getLayer()).getNIn());
    }

    @Test
    void aFollowingIsotropicDenseLayerTreatsTheLastColumnAsTheScale() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.IDENTITY).build())
                .layer(new IsotropicActivationLayer.Builder().build())
                .layer(new IsotropicDenseLayer.Builder().nOut(4).build())
                .setInputType(InputType.feedForward(3)).build();

        IsotropicDenseLayer next = (IsotropicDenseLayer) conf.getConf(2).getLayer();

        assertEquals(6, next.getNIn());
        assertTrue(next.inputCarriesScale());
    }

    @Test
    void channelsFirstAxisOnNhwcInputIsRefusedWhenTheInputTypeIsSet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> convolutional(CNN2DFormat.NHWC, FeatureAxis.CHANNELS_FIRST));

        assertTrue(e.getMessage().contains("\"iso\""), e.getMessage());
        assertTrue(e.getMessage().contains("CHANNELS_LAST"), e.getMessage());
    }

    @Test
    void channelsLastAxisOnNchwInputIsRefusedWhenTheInputTypeIsSet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> convolutional(CNN2DFormat.NCHW, FeatureAxis.CHANNELS_LAST));

        assertTrue(e.getMessage().contains("\"iso\""), e.getMessage());
    }

    @Test
    void builderRefusesAnAxisThatContradictsAnExplicitFormat() {
        IsotropicActivationLayer.Builder builder = new IsotropicActivationLayer.Builder().name("iso")
                .activation(new IsotropicTanh(O)).dataFormat(CNN2DFormat.NHWC);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);

        assertTrue(e.getMessage().contains("\"iso\"") && e.getMessage().contains("NHWC"), e.getMessage());
    }

    @Test
    void withSquaredIntrinsicLengthChangesOnlyOAndLeavesTheOriginalAlone() {
        IsotropicActivationLayer original = new IsotropicActivationLayer.Builder().name("iso")
                .activation(new IsotropicLog1p(O, FeatureAxis.CHANNELS_LAST)).dataFormat(CNN2DFormat.NHWC).build();

        IsotropicActivationLayer copy = original.withSquaredIntrinsicLength(1.25);

        assertNotSame(original, copy);
        assertEquals(O, original.squaredIntrinsicLength(), Tolerances.IDENTICAL);
        assertEquals(1.25, copy.squaredIntrinsicLength(), Tolerances.IDENTICAL);
        assertEquals(new IsotropicLog1p(1.25, FeatureAxis.CHANNELS_LAST), copy.activation());
        assertEquals(original.withSquaredIntrinsicLength(O), original);
        assertEquals(CNN2DFormat.NHWC, copy.dataFormat());
        assertEquals("iso", copy.getLayerName());
    }

    @Test
    void theRuntimeLayerUsesTheChangedIntrinsicLength() {
        INDArray a = gaussian(SEED, DataType.DOUBLE, 3, 4);
        IsotropicActivationLayer changed = new IsotropicActivationLayer.Builder().activation(new IsotropicTanh(O))
                .build().withSquaredIntrinsicLength(2.0);

        INDArray out = new IsolatedLayer(changed).forward(a);

        assertEquals(0.0, maxAbsDifference(handWritten(a, 1, 2.0), out), Tolerances.SAME_FORMULA_F64);
    }

    @Test
    void jsonRoundTripKeepsActivationIntrinsicLengthAxisAndFormat() {
        MultiLayerConfiguration conf = convolutional(CNN2DFormat.NHWC, FeatureAxis.CHANNELS_LAST);

        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(conf.toJson());

        assertEquals(conf, restored);
        IsotropicActivationLayer iso = (IsotropicActivationLayer) restored.getConf(1).getLayer();
        assertEquals(new IsotropicTanh(0.2, FeatureAxis.CHANNELS_LAST), iso.activation());
        assertEquals(CNN2DFormat.NHWC, iso.dataFormat());
    }

    @Test
    void modelSerializerRoundTripKeepsOutputsAndUpdaterState() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(convolutional(CNN2DFormat.NHWC, FeatureAxis.CHANNELS_LAST));
        net.init();
        INDArray x = gaussian(SEED, DataType.DOUBLE, 4, 6, 6, 2);
        INDArray y = TestData.oneHot(SEED, DataType.DOUBLE, 4, 3);
        net.fit(x, y);
        File file = dir.resolve("model.zip").toFile();

        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);

        assertEquals(net.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(net.output(x), restored.output(x));
    }

    /** conv(IDENTITY) -> IsotropicActivationLayer "iso" -> conv -> output, on 6x6x2 input in the given format. */
    static MultiLayerConfiguration convolutional(CNN2DFormat format, FeatureAxis axis) {
        return new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE).updater(new Adam(1e-2))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new IsotropicActivationLayer.Builder().name("iso").activation(new IsotropicTanh(0.2, axis))
                        .build())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.convolutional(6, 6, 2, format)).build();
    }

    /** [y, s] with y = tanh(rho)/rho a, by plain loops over an array whose channel axis is {@code dim}. */
    static INDArray handWritten(INDArray a, int dim, double o) {
        return byLoops(a, dim, o, false);
    }

    private static INDArray handWrittenLog1p(INDArray a, int dim, double o) {
        return byLoops(a, dim, o, true);
    }

    private static INDArray byLoops(INDArray a, int dim, double o, boolean log1p) {
        long[] shape = a.shape();
        long channels = shape[dim];
        long[] outShape = shape.clone();
        outShape[dim] = channels + 1;
        INDArray out = Nd4j.zeros(DataType.DOUBLE, outShape);
        long[] position = new long[shape.length];
        long positions = a.length() / channels;
        for (long p = 0; p < positions; p++) {
            // decode p into the indices of every dimension except dim
            long rest = p;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (d != dim) {
                    position[d] = rest % shape[d];
                    rest /= shape[d];
                }
            }
            double q = o;
            for (long c = 0; c < channels; c++) {
                position[dim] = c;
                double v = a.getDouble(position);
                q += v * v;
            }
            double rho = Math.sqrt(q);
            double s = (log1p ? Math.log(1.0 + rho) : Math.tanh(rho)) / rho;
            for (long c = 0; c < channels; c++) {
                position[dim] = c;
                out.putScalar(position, s * a.getDouble(position));
            }
            position[dim] = channels;
            out.putScalar(position, s);
        }
        return out;
    }
}
