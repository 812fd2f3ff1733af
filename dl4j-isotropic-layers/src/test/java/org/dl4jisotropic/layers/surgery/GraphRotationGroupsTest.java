package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.dl4jisotropic.core.testing.TestArrays.randomOrthogonal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The rotation groups of each supported graph shape: which writers and which consumer blocks (offset, width,
 * multiplicity, layout) belong together, checked against blocks derived by hand from the graphs in
 * {@link SurgeryGraphs}, and checked functionally: rotating every group by hand (test code, float64) keeps the output
 * to {@value #EXACT}, and forgetting one consumer of a fan-out does not.
 */
class GraphRotationGroupsTest {

    /** method.md section 10: surgery in float64. */
    private static final double EXACT = 1e-12;
    /** A forgotten consumer changes the output by O(1) (1.5 in conv-graph.md P8); far above rounding. */
    private static final double BROKEN = 1e-3;

    private static ConsumerBlock dense(String consumer, long offset, long width, long inputs) {
        return new ConsumerBlock(consumer, offset, width, inputs, 1, BlockLayout.FEATURES);
    }

    private static ConsumerBlock conv(String consumer, long offset, long width, long inputs, long taps) {
        return new ConsumerBlock(consumer, offset, width, inputs, taps, BlockLayout.CONVOLUTION);
    }

    private static RotationGroup group(List<String> writers, long width, List<ConsumerBlock> consumers) {
        return new RotationGroup(writers, width, consumers, List.of());
    }

    @Test
    void aChainHasOneGroupPerIsotropicLayerEachReadByTheNextLayer() {
        // h0 emits 5 neurons and its scale, so h1 (a stock DenseLayer) has nIn 6 with psi as the last row
        assertEquals(List.of(
                        group(List.of("h0"), 5, List.of(dense("h1", 0, 5, 6))),
                        group(List.of("h1"), 4, List.of(dense("out", 0, 4, 4)))),
                GraphRotationGroups.of(SurgeryGraphs.chain()));
    }

    @Test
    void aDenseMergeGivesEachBranchItsOwnBlockAfterTheBranchesBeforeIt() {
        // m = [a (3 neurons + scale), b (4)]: b's block starts after a's scale column
        assertEquals(List.of(
                        group(List.of("a"), 3, List.of(dense("h", 0, 3, 8))),
                        group(List.of("b"), 4, List.of(dense("h", 4, 4, 8))),
                        group(List.of("h"), 5, List.of(dense("out", 0, 5, 5)))),
                GraphRotationGroups.of(SurgeryGraphs.denseMerge()));
    }

    @Test
    void aConvMergeGivesEachBranchItsChannelBlockAndTheFlattenGivesPositionsPerChannel() {
        // c reads 3 + 2 channels with 3x3 taps; out reads c's 4 channels flattened after 2x2 pooling: 3x3 positions
        assertEquals(List.of(
                        group(List.of("a"), 3, List.of(conv("c", 0, 3, 5, 9))),
                        group(List.of("b"), 2, List.of(conv("c", 3, 2, 5, 9))),
                        group(List.of("c"), 4, List.of(new ConsumerBlock("out", 0, 4, 4, 9,
                                BlockLayout.FLATTENED_CHANNELS_FIRST)))),
                GraphRotationGroups.of(SurgeryGraphs.convMerge()));
    }

    @Test
    void aFanOutPutsEveryConsumerInTheGroupThroughPoolingAndScaling() {
        assertEquals(List.of(
                        group(List.of("h"), 4, List.of(conv("u", 0, 4, 4, 9), conv("v", 0, 4, 4, 9))),
                        group(List.of("u"), 3, List.of(dense("out", 0, 3, 5))),
                        group(List.of("v"), 2, List.of(dense("out", 3, 2, 5)))),
                GraphRotationGroups.of(SurgeryGraphs.convFanOut()));
    }

    @Test
    void aResidualStreamJoinsItsWritersAndAllTheirReadersAndAProjectionStartsTheNextStream() {
        assertEquals(List.of(
                        new RotationGroup(List.of("s0", "r2"), 4,
                                List.of(conv("r1", 0, 4, 4, 9), conv("proj", 0, 4, 4, 1), conv("r4", 0, 4, 4, 9)),
                                List.of("add1")),
                        group(List.of("r1"), 3, List.of(conv("r2", 0, 3, 3, 9))),
                        new RotationGroup(List.of("proj", "r4"), 5, List.of(dense("out", 0, 5, 5)),
                                List.of("add2"))),
                GraphRotationGroups.of(SurgeryGraphs.residual()));
    }

    @Test
    void aLinearLayerBeforeAnIsotropicActivationLayerWritesAGroupAndOneWithoutDoesNot() {
        // c (IDENTITY) feeds an isotropic ActivationLayer: rotatable; e (IDENTITY) meets no isotropic activation
        assertEquals(List.of(group(List.of("c"), 4, List.of(new ConsumerBlock("out", 0, 4, 4, 9,
                        BlockLayout.FLATTENED_CHANNELS_FIRST)))),
                GraphRotationGroups.of(SurgeryGraphs.activationLayer()));
    }

    @Test
    void anNhwcFlattenInterleavesTheChannelsAndRotatingThemByHandKeepsTheOutput() {
        ComputationGraph graph = SurgeryGraphs.randomized(SurgeryGraphs.nhwcToDense(), 5L);
        INDArray x = SurgeryGraphs.images(7, 1).permute(0, 2, 3, 1).dup('c');
        INDArray before = graph.outputSingle(x).dup();
        List<RotationGroup> groups = GraphRotationGroups.of(graph.getConfiguration());
        assertEquals(List.of(group(List.of("c"), 4, List.of(new ConsumerBlock("out", 0, 4, 4, 9,
                BlockLayout.FLATTENED_CHANNELS_LAST)))), groups);

        GroupRotation.apply(graph, groups.get(0), randomOrthogonal(8, 4, DataType.DOUBLE));

        double change = maxAbsDifference(before, graph.outputSingle(x));
        assertTrue(change <= EXACT, "output change " + change);
    }

    @Test
    void removalIsRefusedInsideAResidualStreamWithTheReasonAndAllowedOutsideIt() {
        List<RotationGroup> groups = GraphRotationGroups.of(SurgeryGraphs.residual());

        assertTrue(groups.get(0).isResidualStream());
        String reason = groups.get(0).removalRefusal().orElseThrow();
        assertTrue(reason.contains("residual stream") && reason.contains("add1"), reason);
        assertFalse(groups.get(1).isResidualStream());
        assertTrue(groups.get(1).removalRefusal().isEmpty());
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("chain", (Supplier<ComputationGraphConfiguration>) SurgeryGraphs::chain, false),
                Arguments.of("dense merge", (Supplier<ComputationGraphConfiguration>) SurgeryGraphs::denseMerge,
                        false),
                Arguments.of("conv merge", (Supplier<ComputationGraphConfiguration>) SurgeryGraphs::convMerge, true),
                Arguments.of("conv fan-out", (Supplier<ComputationGraphConfiguration>) SurgeryGraphs::convFanOut,
                        true),
                Arguments.of("residual streams", (Supplier<ComputationGraphConfiguration>) SurgeryGraphs::residual,
                        true),
                Arguments.of("conv + isotropic ActivationLayer",
                        (Supplier<ComputationGraphConfiguration>) SurgeryGraphs::activationLayer, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void rotatingEveryGroupByHandKeepsTheOutput(String shape, Supplier<ComputationGraphConfiguration> configuration,
                                                 boolean images) {
        ComputationGraph graph = SurgeryGraphs.randomized(configuration.get(), 5L);
        INDArray x = images ? SurgeryGraphs.images(7, 1) : SurgeryGraphs.features(7, 1);
        INDArray[] before = graph.output(x);
        INDArray parameters = graph.params().dup();

        long seed = 100;
        for (RotationGroup group : GraphRotationGroups.of(graph.getConfiguration())) {
            GroupRotation.apply(graph, group, randomOrthogonal(seed++, (int) group.width(), DataType.DOUBLE));
        }

        assertTrue(maxAbsDifference(parameters, graph.params()) > 0.1, "the rotations must change the parameters");
        INDArray[] after = graph.output(x);
        double change = 0.0;
        for (int i = 0; i < before.length; i++) {
            change = Math.max(change, maxAbsDifference(before[i], after[i]));
        }
        assertTrue(change <= EXACT, shape + ": output change " + change);
    }

    @Test
    void forgettingOneConsumerOfAFanOutBreaksTheFunction() {
        ComputationGraph graph = SurgeryGraphs.randomized(SurgeryGraphs.convFanOut(), 5L);
        INDArray x = SurgeryGraphs.images(7, 1);
        INDArray before = graph.outputSingle(x).dup();
        RotationGroup fanOut = GraphRotationGroups.of(graph.getConfiguration()).get(0);

        GroupRotation.apply(graph, fanOut, randomOrthogonal(3, 4, DataType.DOUBLE), Set.of("v"));

        double change = maxAbsDifference(before, graph.outputSingle(x));
        assertTrue(change > BROKEN, "output change " + change);
    }
}
