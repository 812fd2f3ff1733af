package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.dl4jisotropic.core.testing.TestArrays.randomOrthogonal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Rotation, left diagonalization and growth of every kind of rotation group keep the graph's output, as DL4J itself
 * computes it, to {@link Tolerances#SURGERY_F64}: chains, merges (dense and convolutional), a fan-out, residual streams
 * with two writers (one with a projection shortcut), a free group inside a residual branch, and flattens (NCHW and
 * NHWC).
 */
class GraphSurgeonInvarianceTest {

    private static final double EXACT = Tolerances.SURGERY_F64;

    static Stream<Arguments> groups() {
        return Stream.of(
                group("chain", SurgeryGraphs::chain, Input.FEATURES, "h0"),
                group("chain", SurgeryGraphs::chain, Input.FEATURES, "h1"),
                group("isotropic chain, psi", SurgeryGraphs::isotropicChain, Input.FEATURES, "h1"),
                group("dense merge", SurgeryGraphs::denseMerge, Input.FEATURES, "a"),
                group("dense merge", SurgeryGraphs::denseMerge, Input.FEATURES, "b"),
                group("conv merge", SurgeryGraphs::convMerge, Input.NCHW, "a"),
                group("conv merge", SurgeryGraphs::convMerge, Input.NCHW, "b"),
                group("conv fan-out", SurgeryGraphs::convFanOut, Input.NCHW, "h"),
                group("residual stream A (s0 + r2)", SurgeryGraphs::residual, Input.NCHW, "s0"),
                group("residual stream B (projection proj + r4)", SurgeryGraphs::residual, Input.NCHW, "r4"),
                group("residual branch", SurgeryGraphs::residual, Input.NCHW, "r1"),
                group("NCHW flatten", () -> SurgeryGraphs.convToDense(new org.nd4j.linalg.learning.config.Adam(1e-2)),
                        Input.NCHW, "c1"),
                group("NHWC flatten", SurgeryGraphs::nhwcToDense, Input.NHWC, "c"));
    }

    private static Arguments group(String shape, Supplier<ComputationGraphConfiguration> graphs, Input images,
                                   String writer) {
        return Arguments.of(shape, graphs, images, writer);
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("groups")
    void rotatingAGroupKeepsEveryOutput(String shape, Supplier<ComputationGraphConfiguration> graphs, Input images,
                                        String writer) {
        ComputationGraph graph = SurgeryGraphs.randomized(graphs.get(), 11L);
        INDArray x = images.batch();
        INDArray before = graph.outputSingle(x).dup();
        INDArray weightsBefore = graph.getParam(writer + "_W").dup();
        GraphSurgeon surgeon = new GraphSurgeon(graph);
        int width = Math.toIntExact(surgeon.group(writer).width());

        surgeon.rotate(writer, randomOrthogonal(3L, width, DataType.DOUBLE));

        assertTrue(maxAbsDifference(weightsBefore, graph.getParam(writer + "_W")) > 1e-3,
                "the rotation must change the writer's weights");
        double change = maxAbsDifference(before, graph.outputSingle(x));
        assertTrue(change <= EXACT, shape + ", " + writer + ": output change " + change);
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("groups")
    void diagonalizingAGroupKeepsEveryOutput(String shape, Supplier<ComputationGraphConfiguration> graphs,
                                             Input images, String writer) {
        ComputationGraph graph = SurgeryGraphs.randomized(graphs.get(), 12L);
        INDArray x = images.batch();
        INDArray before = graph.outputSingle(x).dup();

        new GraphSurgeon(graph).diagonalizeLeft(writer);

        double change = maxAbsDifference(before, graph.outputSingle(x));
        assertTrue(change <= EXACT, shape + ", " + writer + ": output change " + change);
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("groups")
    void growingAGroupKeepsEveryOutput(String shape, Supplier<ComputationGraphConfiguration> graphs, Input images,
                                       String writer) {
        ComputationGraph graph = SurgeryGraphs.randomized(graphs.get(), 13L);
        INDArray x = images.batch();
        INDArray before = graph.outputSingle(x).dup();
        GraphSurgeon surgeon = new GraphSurgeon(graph);
        RotationGroup group = surgeon.group(writer);

        surgeon.grow(writer, 2, 5L);

        for (String grown : group.writers()) {
            assertEquals(group.width() + 2, nOut(graph, grown), grown);
        }
        double change = maxAbsDifference(before, graph.outputSingle(x));
        assertTrue(change <= EXACT, shape + ", " + writer + ": output change " + change);
    }

    /** The probe inputs of a graph shape. */
    enum Input {
        FEATURES, NCHW, NHWC;

        INDArray batch() {
            return switch (this) {
                case FEATURES -> SurgeryGraphs.features(5, 2);
                case NCHW -> SurgeryGraphs.images(5, 2);
                case NHWC -> SurgeryGraphs.images(5, 2).permute(0, 2, 3, 1).dup('c');
            };
        }
    }

    private static long nOut(ComputationGraph graph, String layer) {
        return ((FeedForwardLayer) ((LayerVertex) graph.getConfiguration().getVertices().get(layer)).getLayerConf()
                .getLayer()).getNOut();
    }
}
