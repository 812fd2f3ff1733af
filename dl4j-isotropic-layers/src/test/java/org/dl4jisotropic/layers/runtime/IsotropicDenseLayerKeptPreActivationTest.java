package org.dl4jisotropic.layers.runtime;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.dl4jisotropic.core.testing.DoublePrecision;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.conf.IsotropicDenseParamInitializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The backward pass reuses the pre-activation of the training forward pass only when it is still the right one. The
 * oracle of each case is a clone of the layer that runs the plain sequence (forward on the input, then backward),
 * whose gradients DL4J's gradient check verifies in {@code IsotropicDenseLayerGradientTest}; the case under test
 * runs a sequence in which a stale kept pre-activation would give other gradients.
 */
@ExtendWith(DoublePrecision.class)
class IsotropicDenseLayerKeptPreActivationTest {

    /** Both sides run the same ops on the same values. */
    private static final double EXACT = 1e-12;
    /** Far above rounding: the inputs differ by O(1). */
    private static final double DIFFERENT = 1e-3;
    private static final long SEED = 4242L;
    private static final int ROWS = 8;

    private final LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
    private MultiLayerNetwork net;
    private INDArray x1;
    private INDArray x2;
    private INDArray epsilon;

    @BeforeEach
    void setUp() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(new IsotropicDenseLayer.Builder().nOut(5).build())
                .layer(new IsotropicDenseLayer.Builder().nOut(4).intrinsicLength(IntrinsicLength.trainable(0.3))
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.feedForward(6)).build();
        net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();   // the layers' gradient views, which fit() would otherwise create
        INDArray psi = layer().getParam(IsotropicDenseParamInitializer.PSI_KEY);
        psi.assign(gaussian(SEED + 1, DataType.DOUBLE, psi.shape()));
        x1 = gaussian(SEED + 2, DataType.DOUBLE, ROWS, 6);   // 5 features + the previous layer's scale
        x2 = gaussian(SEED + 3, DataType.DOUBLE, ROWS, 6);
        epsilon = gaussian(SEED + 4, DataType.DOUBLE, ROWS, 5);
    }

    @Test
    void twoTrainingForwardsThenOneBackwardUseTheSecondInput() {
        IsotropicDenseLayerImpl oracle = cloneOfLayer();
        layer().activate(x1, true, noWorkspaces);
        layer().activate(x2, true, noWorkspaces);

        assertSameBackward(plainBackward(oracle, x2), backward(layer()));
    }

    @Test
    void inputSetAfterATrainingForwardIsTheOneDifferentiated() {
        IsotropicDenseLayerImpl oracle = cloneOfLayer();
        layer().activate(x1, true, noWorkspaces);
        layer().setInput(x2, noWorkspaces);

        assertSameBackward(plainBackward(oracle, x2), backward(layer()));
    }

    @Test
    void inferenceForwardAfterATrainingForwardIsTheOneDifferentiated() {
        IsotropicDenseLayerImpl oracle = cloneOfLayer();
        layer().activate(x1, true, noWorkspaces);
        layer().activate(x2, false, noWorkspaces);

        assertSameBackward(plainBackward(oracle, x2), backward(layer()));
    }

    @Test
    void secondBackwardAfterOneForwardEqualsTheFirst() {
        layer().activate(x1, true, noWorkspaces);
        INDArray[] first = backward(layer());

        assertSameBackward(first, backward(layer()));
    }

    @Test
    void parametersSetAfterTheForwardAreTheOnesDifferentiated() {
        INDArray newParams = gaussian(SEED + 5, DataType.DOUBLE, layer().params().shape()).muli(0.5);
        IsotropicDenseLayerImpl oracle = cloneOfLayer();
        oracle.setParams(newParams.dup());
        layer().activate(x1, true, noWorkspaces);
        layer().setParams(newParams);

        assertSameBackward(plainBackward(oracle, x1), backward(layer()));
    }

    /** Guards the speed-up itself: b's gradient depends on W only through the pre-activation. */
    @Test
    void backwardReusesThePreActivationOfTheTrainingForward() {
        INDArray before = plainBackward(cloneOfLayer(), x1)[2];
        layer().activate(x1, true, noWorkspaces);
        layer().getParam(IsotropicDenseParamInitializer.WEIGHT_KEY).muli(2.0);   // in place: not a parameter set
        INDArray recomputed = plainBackward(cloneOfLayer(), x1)[2];

        assertTrue(maxAbsDifference(before, recomputed) > DIFFERENT, "doubling W must change b's gradient");
        assertEquals(0.0, maxAbsDifference(before, backward(layer())[2]), EXACT);
    }

    private IsotropicDenseLayerImpl layer() {
        return (IsotropicDenseLayerImpl) net.getLayer(1);
    }

    private IsotropicDenseLayerImpl cloneOfLayer() {
        MultiLayerNetwork copy = net.clone();
        copy.initGradientsView();
        return (IsotropicDenseLayerImpl) copy.getLayer(1);
    }

    /** Forward on {@code x} in training mode, then backward: the sequence DL4J's gradient check verifies. */
    private INDArray[] plainBackward(IsotropicDenseLayerImpl oracle, INDArray x) {
        oracle.activate(x, true, noWorkspaces);
        return backward(oracle);
    }

    /** The flat parameter gradient, the gradient passed down and b's gradient, copied out of the layer's views. */
    private INDArray[] backward(IsotropicDenseLayerImpl target) {
        Pair<Gradient, INDArray> result = target.backpropGradient(epsilon.dup(), noWorkspaces);
        return new INDArray[] {target.getGradientsViewArray().dup(), result.getSecond().dup(),
            result.getFirst().getGradientFor(IsotropicDenseParamInitializer.BIAS_KEY).dup()};
    }

    private static void assertSameBackward(INDArray[] expected, INDArray[] actual) {
        assertTrue(maxAbsDifference(expected[0], actual[0]) <= EXACT,
                () -> "parameter gradients differ by " + maxAbsDifference(expected[0], actual[0]));
        assertTrue(maxAbsDifference(expected[1], actual[1]) <= EXACT,
                () -> "gradients passed down differ by " + maxAbsDifference(expected[1], actual[1]));
    }
}
