package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.maxAbs;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.surgery.SurgeryReport;
import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/** Surgery on a real DL4J network leaves its outputs unchanged: 1e-12 in float64, 1e-5 in float32. */
class NetworkSurgeonInvarianceTest {

    /** Section 10 of the method notes: exact surgery changes no output beyond rounding. */
    private static final double EXACT_F64 = 1e-12;
    private static final double EXACT_F32 = Tolerances.FLOAT32_RELATIVE;
    /** Diagonalization must really rewrite the parameters (they are O(1) and move by O(1)), not leave them. */
    private static final double REWRITTEN = 1e-3;
    /** A singular value that is zero up to float32 rounding of O(1) weights. */
    private static final double ZERO_SINGULAR_VALUE = 1e-6;
    private static final double LEARNING_RATE = 1e-2;

    private static double tolerance(DataType type) {
        return type == DataType.DOUBLE ? EXACT_F64 : EXACT_F32;
    }

    private static MultiLayerNetwork network(DataType type) {
        return SurgeryNetworks.trained(type, new Adam(LEARNING_RATE), 5);
    }

    private static INDArray probe(DataType type) {
        return SurgeryNetworks.inputs(type, 64, 99);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void diagonalizingEveryHiddenLayerLeavesTheOutputsUnchanged(DataType type) {
        MultiLayerNetwork net = network(type);
        INDArray before = net.output(probe(type));
        INDArray parametersBefore = net.params().dup();

        new NetworkSurgeon(net).diagonalizeAllLeft();

        assertTrue(maxAbsDifference(parametersBefore, net.params()) > REWRITTEN, "the parameters must be rewritten");
        double change = maxAbsDifference(before, net.output(probe(type)));
        assertTrue(change <= tolerance(type), () -> type + ": max output change " + change);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void alternatingFullDiagonalizationLeavesTheOutputsUnchanged(DataType type) {
        MultiLayerNetwork net = network(type);
        INDArray before = net.output(probe(type));
        INDArray parametersBefore = net.params().dup();

        new NetworkSurgeon(net).diagonalizeAlternating();

        assertTrue(maxAbsDifference(parametersBefore, net.params()) > REWRITTEN, "the parameters must be rewritten");
        double change = maxAbsDifference(before, net.output(probe(type)));
        assertTrue(change <= tolerance(type), () -> type + ": max output change " + change);
    }

    static Stream<Arguments> growth() {
        return Stream.of(0, 1, 2, 3).flatMap(layer -> Stream.of(1, 4).flatMap(count ->
                Stream.of(DataType.DOUBLE, DataType.FLOAT).map(type -> Arguments.of(layer, count, type))));
    }

    @ParameterizedTest(name = "layer {0}, +{1}, {2}")
    @MethodSource("growth")
    void growingAnyLayerKeepsTheSameNetworkObjectAndItsOutputs(int layer, int count, DataType type) {
        MultiLayerNetwork net = network(type);
        INDArray before = net.output(probe(type));
        long width = net.getLayer(layer).getParam("b").length();
        int iterations = net.getIterationCount();

        NetworkSurgeon surgeon = new NetworkSurgeon(net);
        SurgeryReport report = surgeon.grow(layer, count, 5L);

        assertSame(net, surgeon.network());
        assertEquals(width + count, net.getLayer(layer).getParam("b").length());
        assertEquals(width + count, report.widthAfter());
        assertEquals(iterations, net.getIterationCount());
        double change = maxAbsDifference(before, net.output(probe(type)));
        assertTrue(change <= tolerance(type), () -> "layer " + layer + ": max output change " + change);
    }

    @ParameterizedTest(name = "layer {0}, {1}")
    @MethodSource("shrinkable")
    void growingThenShrinkingRestoresTheOutputsAndTheIntrinsicLength(int layer, DataType type) {
        MultiLayerNetwork net = network(type);
        INDArray before = net.output(probe(type));
        INDArray lengthBefore = lengthParam(net, layer);
        NetworkSurgeon surgeon = new NetworkSurgeon(net);

        surgeon.grow(layer, 3, 5L);
        surgeon.shrink(layer, 3);

        double change = maxAbsDifference(before, net.output(probe(type)));
        assertTrue(change <= tolerance(type), () -> "layer " + layer + ": max output change " + change);
        assertTrue(maxAbsDifference(lengthBefore, lengthParam(net, layer)) <= tolerance(type));
    }

    /**
     * Removing two live neurons changes the logits: the report must carry the change DL4J's own forward pass shows,
     * and beyond the first layer (whose input norm has no universal bound) an a-priori bound at or above it.
     */
    @ParameterizedTest(name = "layer {0}, {1}")
    @MethodSource("shrinkable")
    void shrinkReportsTheMeasuredLogitChangeAndBeyondTheFirstLayerABoundAboveIt(int layer, DataType type) {
        MultiLayerNetwork net = network(type);
        INDArray logitsBefore = logits(net, probe(type));
        NetworkSurgeon surgeon = new NetworkSurgeon(net).withProbe(probe(type));

        SurgeryReport report = surgeon.shrink(layer, 2);

        double change = maxAbsDifference(logitsBefore, logits(net, probe(type)));
        double scale = Math.max(1.0, maxAbs(logitsBefore));
        assertEquals(2, report.removedSingularValues().size());
        assertTrue(change > tolerance(type) * scale, () -> "removing two live neurons must change the logits, "
                + "measured " + change + " after removing singular values " + report.removedSingularValues());
        assertEquals(change, report.maxOutputChange().orElseThrow(), tolerance(type) * scale,
                "reported against measured logit change");
        assertEquals(layer != 0, report.errorBound().isPresent(),
                "only the first layer has no universal input-norm bound");
        if (layer != 0) {
            assertTrue(change <= report.errorBound().getAsDouble() + tolerance(type) * scale,
                    () -> "change " + change + " above bound " + report.errorBound());
        }
    }

    /** The output layer's pre-softmax values, from DL4J's forward pass and the output layer's stored W and b. */
    private static INDArray logits(MultiLayerNetwork net, INDArray inputs) {
        List<INDArray> activations = net.feedForward(inputs, false);
        int output = net.getnLayers() - 1;
        return activations.get(output).mmul(net.getLayer(output).getParam("W"))
                .addRowVector(net.getLayer(output).getParam("b"));
    }

    @ParameterizedTest(name = "layer {0}, {1}")
    @MethodSource("shrinkable")
    void removingAConstantNeuronLeavesTheOutputsUnchanged(int layer, DataType type) {
        MultiLayerNetwork net = network(type);
        SurgeryNetworks.makeConstant(net, layer, 2);
        INDArray before = net.output(probe(type));
        long width = net.getLayer(layer).getParam("b").length();

        SurgeryReport report = new NetworkSurgeon(net).shrink(layer, 1);

        assertEquals(width - 1, net.getLayer(layer).getParam("b").length());
        assertEquals(0.0, report.removedSingularValues().get(0), ZERO_SINGULAR_VALUE);
        double change = maxAbsDifference(before, net.output(probe(type)));
        assertTrue(change <= tolerance(type), () -> "layer " + layer + ": max output change " + change);
    }


    static Stream<Arguments> shrinkable() {
        return Stream.of(0, 1, 3).flatMap(layer ->
                Stream.of(Arguments.of(layer, DataType.DOUBLE), Arguments.of(layer, DataType.FLOAT)));
    }

    private static INDArray lengthParam(MultiLayerNetwork net, int layer) {
        return net.getLayer(layer).paramTable().containsKey("o") ? net.getLayer(layer).getParam("o").dup()
                : net.getLayer(layer).getParam("lambda").dup();
    }
}
