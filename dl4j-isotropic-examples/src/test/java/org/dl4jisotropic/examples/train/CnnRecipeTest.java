package org.dl4jisotropic.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.examples.data.FashionMnist;
import org.dl4jisotropic.examples.data.ImageShape;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link CnnRecipe} and {@link ModelKind#CNN}: the network has issue 14's layer shapes (parameter counts against
 * hand-computed values, activation shapes against the recipe's), the hidden activation and pooling asked for, and
 * orthogonal filters; the defaults and refusals of the configuration.
 */
class CnnRecipeTest {

    /** A float network's orthogonal filters: float64 values rounded once. */
    private static final double FLOAT_ORTHOGONAL = 1e-5;

    private static TrainingConfig config(HiddenActivation activation, Pooling pooling, int... hidden) {
        TrainingConfig.Builder builder = TrainingConfig.builder().data("fashion-mnist").model(ModelKind.CNN)
                .activation(activation).pooling(pooling);
        return (hidden.length == 0 ? builder : builder.hidden(hidden)).build();
    }

    private static MultiLayerNetwork build(TrainingConfig config) {
        return config.model().build(config, FashionMnist.PIXELS, FashionMnist.CLASSES);
    }

    private static long[] layerParams(MultiLayerNetwork net) {
        long[] counts = new long[net.getnLayers()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = net.getLayer(i).numParams();
        }
        return counts;
    }

    @Test
    void isotropicRecipeHasHandComputedParameterCounts() {
        MultiLayerNetwork net = build(config(HiddenActivation.ISOTROPIC_TANH, Pooling.AVG));
        long conv1 = 32 * 1 * 5 * 5 + 32;
        long conv2 = 64 * 32 * 5 * 5 + 64;
        long dense = 64 * 4 * 4 * 128 + 128 + 1;   // W, b and the trainable intrinsic length lambda
        long output = (128 + 1) * 10 + 10;         // the dense layer's scale column feeds the output
        assertArrayEquals(new long[] {conv1, 0, conv2, 0, dense, output}, layerParams(net));
        assertEquals(184_597, net.numParams());
    }

    @Test
    void reluRecipeHasHandComputedParameterCounts() {
        MultiLayerNetwork net = build(config(HiddenActivation.RELU, Pooling.MAX));
        assertArrayEquals(new long[] {832, 0, 51_264, 0, 1024 * 128 + 128, 128 * 10 + 10}, layerParams(net));
    }

    @Test
    void recipeActivationsHaveTheRecipesShapes() {
        MultiLayerNetwork net = build(config(HiddenActivation.RELU, Pooling.AVG));
        List<INDArray> activations = net.feedForward(Nd4j.rand(DataType.FLOAT, 3, FashionMnist.PIXELS), false);
        // the input is given flat; DL4J's preprocessor makes it an image before the first convolution
        long[][] expected = {{3, 784}, {3, 32, 24, 24}, {3, 32, 12, 12}, {3, 64, 8, 8}, {3, 64, 4, 4}, {3, 128},
            {3, 10}};
        assertEquals(expected.length, activations.size());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], activations.get(i).shape(), "activation " + i);
        }
    }

    @Test
    void hiddenListsChannelsThenDenseWidth() {
        MultiLayerNetwork net = build(config(HiddenActivation.TANH, Pooling.AVG, 16, 8));
        long conv = 16 * 25 + 16;
        long dense = 16 * 12 * 12 * 8 + 8;
        assertArrayEquals(new long[] {conv, 0, dense, 8 * 10 + 10}, layerParams(net));
        assertEquals(List.of(16L, 8L), ModelKind.CNN.widths(net));
    }

    @Test
    void isotropicConvolutionsNormOverTheChannelsAndDenseLayerIsIsotropic() {
        MultiLayerNetwork net = build(config(HiddenActivation.ISOTROPIC_TANH, Pooling.AVG));
        for (int i : new int[] {0, 2}) {
            ConvolutionLayer conv = (ConvolutionLayer) net.getLayer(i).conf().getLayer();
            IsotropicTanh activation = assertInstanceOf(IsotropicTanh.class, conv.getActivationFn());
            assertEquals(FeatureAxis.CHANNELS_FIRST, activation.featureAxis());
            assertArrayEquals(new int[] {5, 5}, conv.getKernelSize());
        }
        assertInstanceOf(IsotropicDenseLayer.class, net.getLayer(4).conf().getLayer());
    }

    @Test
    void poolingOptionChoosesThePoolingLayers() {
        for (Pooling pooling : Pooling.values()) {
            MultiLayerNetwork net = build(config(HiddenActivation.RELU, pooling));
            for (int i : new int[] {1, 3}) {
                SubsamplingLayer layer = (SubsamplingLayer) net.getLayer(i).conf().getLayer();
                assertEquals(pooling == Pooling.AVG ? PoolingType.AVG : PoolingType.MAX, layer.getPoolingType());
                assertArrayEquals(new int[] {2, 2}, layer.getKernelSize());
                assertArrayEquals(new int[] {2, 2}, layer.getStride());
            }
        }
    }

    @Test
    void filtersStartOrthogonal() {
        MultiLayerNetwork net = build(config(HiddenActivation.RELU, Pooling.AVG));
        INDArray w = net.getParam("2_W").castTo(DataType.DOUBLE).reshape('c', 64, 32 * 25);
        for (double s : new SingularValueDecomposition(new Array2DRowRealMatrix(w.toDoubleMatrix(), false))
                .getSingularValues()) {
            assertEquals(1.0, s, FLOAT_ORTHOGONAL);
        }
    }

    @Test
    void defaultsAreTheRecipeForCnnAndUnchangedForMlp() {
        TrainingConfig cnn = config(HiddenActivation.ISOTROPIC_TANH, null);
        assertEquals(List.of(32, 64, 128), cnn.hidden());
        assertEquals(Pooling.AVG, cnn.pooling());
        TrainingConfig mlp = TrainingConfig.builder().data("iris").build();
        assertEquals(ModelKind.MLP, mlp.model());
        assertEquals(List.of(256, 256), mlp.hidden());
        assertNull(mlp.pooling());
    }

    @Test
    void aTwentyEightPixelImageTakesTwoConvolutions() {
        assertEquals(2, CnnRecipe.maxConvolutions(FashionMnist.IMAGE));
        assertEquals(0, CnnRecipe.maxConvolutions(new ImageShape(5, 28, 1)));
        assertEquals(1, CnnRecipe.maxConvolutions(new ImageShape(6, 6, 3)));
    }

    @Test
    void threeConvolutionsOnTwentyEightPixelsAreRefusedNamingHidden() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config(HiddenActivation.RELU, Pooling.AVG, 8, 8, 8, 8));
        assertTrue(e.getMessage().startsWith("--hidden for --model cnn"), e.getMessage());
        assertTrue(e.getMessage().contains("found 3"), e.getMessage());
    }
}
