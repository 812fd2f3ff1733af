package org.dl4jisotropic.layers.activation;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.core.activation.IsotropicKernel;
import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class IsotropicActivationTest {

    private static final long SEED = 8L;

    static Stream<IsotropicActivation> activations() {
        return Stream.of(new IsotropicTanh(), new IsotropicTanh(0.25, FeatureAxis.CHANNELS_LAST),
                new IsotropicLog1p(1e-6), new IsotropicShiftedRelu(0.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void getActivationOverwritesItsInputWithTheKernelOutput(IsotropicActivation activation) {
        INDArray in = gaussian(SEED, DataType.DOUBLE, 4, 6);
        INDArray expected = new IsotropicKernel(activation.profile(), activation.featureAxis())
                .forward(in, activation.squaredIntrinsicLength()).output();

        INDArray returned = activation.getActivation(in, true);

        assertSame(in, returned);
        assertEquals(0.0, maxAbsDifference(expected, in), Tolerances.IDENTICAL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void backpropReturnsTheKernelGradientAndNoParameterGradient(IsotropicActivation activation) {
        INDArray in = gaussian(SEED, DataType.DOUBLE, 4, 6);
        INDArray epsilon = gaussian(SEED + 1, DataType.DOUBLE, 4, 6);
        INDArray expected = new IsotropicKernel(activation.profile(), activation.featureAxis())
                .backward(in, epsilon, activation.squaredIntrinsicLength()).input();

        var result = activation.backprop(in.dup(), epsilon);

        assertEquals(0.0, maxAbsDifference(expected, result.getFirst()), Tolerances.IDENTICAL);
        assertEquals(null, result.getSecond());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void jsonRoundTripKeepsProfileIntrinsicLengthAndAxis(IsotropicActivation activation) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nOut(5).activation(activation).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.feedForward(4)).build();

        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(conf.toJson());

        assertEquals(conf, restored);
        Object restoredActivation = ((DenseLayer) restored.getConf(0).getLayer()).getActivationFn();
        assertEquals(activation, restoredActivation);
        assertEquals(activation.getClass(), restoredActivation.getClass());
    }

    @Test
    void differentIntrinsicLengthsMakeDifferentActivations() {
        assertTrue(!new IsotropicTanh(0.1).equals(new IsotropicTanh(0.2)));
        assertTrue(!new IsotropicTanh(0.1).equals(new IsotropicLog1p(0.1)));
    }

    @Test
    void negativeIntrinsicLengthIsRejectedAtConstruction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new IsotropicTanh(-0.5));
        assertTrue(e.getMessage().contains("found -0.5"), e.getMessage());
    }

    @Test
    void nanIntrinsicLengthIsRejectedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new IsotropicLog1p(Double.NaN));
    }
}
