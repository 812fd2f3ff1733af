package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.randomOrthogonal;
import static org.dl4jisotropic.layers.surgery.GraphStateSnapshots.componentAsParameters;
import static org.dl4jisotropic.layers.surgery.GraphStateSnapshots.maxParameterDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The Adam state follows the surgery: after a rotation by R, every parameter's first moment M is DL4J's old M rotated
 * like the parameter (by R, applied by hand with {@link GroupRotation}), and its second moment V is the old V
 * transformed by the element-wise square R∘R; after a growth the old entries sit at their new places, new M entries are
 * 0 and new V entries the mean of the block's (or writer's) old entries.
 */
class GraphSurgeonStateTest {

    private static final double EXACT = Tolerances.SURGERY_F64;

    static Stream<Arguments> groups() {
        return Stream.of(
                Arguments.of("dense merge, first branch", (Supplier<ComputationGraphConfiguration>)
                        SurgeryGraphs::denseMerge, false, "a"),
                Arguments.of("conv merge, first branch", (Supplier<ComputationGraphConfiguration>)
                        SurgeryGraphs::convMerge, true, "a"),
                Arguments.of("chain, stock dense layer", (Supplier<ComputationGraphConfiguration>)
                        SurgeryGraphs::chain, false, "h1"),
                Arguments.of("conv fan-out", (Supplier<ComputationGraphConfiguration>)
                        SurgeryGraphs::convFanOut, true, "h"),
                Arguments.of("residual stream with projection", (Supplier<ComputationGraphConfiguration>)
                        SurgeryGraphs::residual, true, "proj"),
                Arguments.of("NCHW flatten", (Supplier<ComputationGraphConfiguration>)
                        () -> SurgeryGraphs.convToDense(new Adam(1e-2)), true, "c1"));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("groups")
    void rotationCarriesEveryAdamMomentLikeItsParameter(String shape, Supplier<ComputationGraphConfiguration> graphs,
                                                         boolean images, String writer) {
        ComputationGraph graph = SurgeryGraphs.randomized(graphs.get(), 21L);
        INDArray x = images ? SurgeryGraphs.images(4, 3) : SurgeryGraphs.features(4, 3);
        GraphStateSnapshots.train(graph, x, 3);
        GraphSurgeon surgeon = new GraphSurgeon(graph);
        RotationGroup group = surgeon.group(writer);
        INDArray r = randomOrthogonal(4L, Math.toIntExact(group.width()), DataType.DOUBLE);
        ComputationGraph expectedM = componentAsParameters(graph, 0);
        ComputationGraph expectedV = componentAsParameters(graph, 1);
        GroupRotation.apply(expectedM, group, r);
        GroupRotation.apply(expectedV, group, r.mul(r));

        surgeon.rotate(writer, r);

        double m = maxParameterDifference(expectedM, componentAsParameters(graph, 0));
        double v = maxParameterDifference(expectedV, componentAsParameters(graph, 1));
        assertTrue(m <= EXACT, shape + ": first moments differ by " + m);
        assertTrue(v <= EXACT, shape + ": second moments differ by " + v);
    }

    /**
     * Dense merge m = [a (3) | b (4)] read by h: growing a by one puts the new row of h's state at index 3, in front
     * of b's rows, which move by one.
     */
    @Test
    void growthInsertsNewStateAtTheEndOfTheBlockAndMovesTheLaterBranch() {
        ComputationGraph graph = SurgeryGraphs.randomized(SurgeryGraphs.denseMerge(), 22L);
        GraphStateSnapshots.train(graph, SurgeryGraphs.features(4, 3), 3);
        INDArray oldM = componentAsParameters(graph, 0).getParam("h_W").dup();
        INDArray oldV = componentAsParameters(graph, 1).getParam("h_W").dup();
        INDArray oldWriterM = componentAsParameters(graph, 0).getParam("a_W").dup();
        INDArray oldWriterV = componentAsParameters(graph, 1).getParam("a_W").dup();

        new GraphSurgeon(graph).grow("a", 1, 9L);

        INDArray newM = componentAsParameters(graph, 0).getParam("h_W").dup();
        INDArray newV = componentAsParameters(graph, 1).getParam("h_W").dup();
        assertEquals(rows(oldM, 0, 3), rows(newM, 0, 3), "a's rows keep their state");
        assertEquals(rows(oldM, 3, 7), rows(newM, 4, 8), "b's rows move behind the new row");
        assertEquals(rows(oldV, 3, 7), rows(newV, 4, 8), "b's second moments move with them");
        assertEquals(0.0, rows(newM, 3, 4).amaxNumber().doubleValue(), "a new first moment is 0");
        double blockMean = rows(oldV, 0, 3).meanNumber().doubleValue();
        assertEquals(0.0, rows(newV, 3, 4).sub(blockMean).amaxNumber().doubleValue(), 1e-18,
                "a new second moment is the mean of the block's second moments");
        INDArray writerM = componentAsParameters(graph, 0).getParam("a_W").dup();
        INDArray writerV = componentAsParameters(graph, 1).getParam("a_W").dup();
        assertEquals(oldWriterM, columns(writerM, 0, 3));
        assertEquals(0.0, columns(writerM, 3, 4).amaxNumber().doubleValue());
        assertEquals(0.0, columns(writerV, 3, 4).sub(oldWriterV.meanNumber().doubleValue()).amaxNumber()
                .doubleValue(), 1e-18);
    }

    @Test
    void aGraphWithoutOptimizerStateRotatesAndGrowsExactly() {
        ComputationGraph graph = SurgeryGraphs.randomized(SurgeryGraphs.convToDense(new Sgd(0.1)), 23L);
        INDArray x = SurgeryGraphs.images(4, 3);
        INDArray before = graph.outputSingle(x).dup();
        GraphSurgeon surgeon = new GraphSurgeon(graph);

        surgeon.rotate("c1", randomOrthogonal(7L, 4, DataType.DOUBLE));
        surgeon.grow("c1", 1, 3L);

        double change = before.sub(graph.outputSingle(x)).amaxNumber().doubleValue();
        assertTrue(change <= EXACT, "output change " + change);
        assertEquals(5, graph.getParam("c1_b").length());
    }

    private static INDArray rows(INDArray matrix, long from, long to) {
        return matrix.dup('c').get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c');
    }

    private static INDArray columns(INDArray matrix, long from, long to) {
        return matrix.dup('c').get(NDArrayIndex.all(), NDArrayIndex.interval(from, to)).dup('c');
    }
}
