package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dl4jisotropic.layers.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Every rotation group of every supported graph shape grows by one channel exactly: the resized configuration
 * ({@link GraphConfigurationResizer}: nOut, nIn, flatten preprocessors) with the old values moved to their new
 * indices (later blocks of a merge shift, a psi row moves behind the new unit) gives the same output to
 * {@value #EXACT}, and the graph trains on. The growth is done by hand ({@link HandGrowth}) from the group's blocks.
 */
class GroupGrowthTest {

    /** method.md section 10: neurogenesis in float64. */
    private static final double EXACT = 1e-12;

    static Stream<Arguments> groups() {
        return Stream.of(
                Arguments.of("chain", (Supplier<ComputationGraphConfiguration>) SurgeryGraphs::chain, false, "h0"),
                Arguments.of("chain", (Supplier<ComputationGraphConfiguration>) SurgeryGraphs::chain, false, "h1"),
                Arguments.of("dense merge", (Supplier<ComputationGraphConfiguration>) SurgeryGraphs::denseMerge,
                        false, "a"),
                Arguments.of("dense merge", (Supplier<ComputationGraphConfiguration>) SurgeryGraphs::denseMerge,
                        false, "b"),
                Arguments.of("conv merge", (Supplier<ComputationGraphConfiguration>) SurgeryGraphs::convMerge, true,
                        "a"),
                Arguments.of("conv merge", (Supplier<ComputationGraphConfiguration>) SurgeryGraphs::convMerge, true,
                        "c"),
                Arguments.of("conv fan-out", (Supplier<ComputationGraphConfiguration>) SurgeryGraphs::convFanOut,
                        true, "h"),
                Arguments.of("conv fan-out", (Supplier<ComputationGraphConfiguration>) SurgeryGraphs::convFanOut,
                        true, "u"),
                Arguments.of("residual stream A", (Supplier<ComputationGraphConfiguration>) SurgeryGraphs::residual,
                        true, "s0"),
                Arguments.of("residual branch", (Supplier<ComputationGraphConfiguration>) SurgeryGraphs::residual,
                        true, "r1"),
                Arguments.of("residual stream B", (Supplier<ComputationGraphConfiguration>) SurgeryGraphs::residual,
                        true, "r4"));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("groups")
    void growingAGroupByOneChannelKeepsTheOutputAndTheGraphTrains(String shape,
                                                                   Supplier<ComputationGraphConfiguration> graphs,
                                                                   boolean images, String writer) {
        ComputationGraph graph = SurgeryGraphs.randomized(graphs.get(), 11L);
        INDArray x = images ? SurgeryGraphs.images(7, 2) : SurgeryGraphs.features(7, 2);
        INDArray before = graph.outputSingle(x).dup();
        RotationGroup group = GraphRotationGroups.of(graph.getConfiguration()).stream()
                .filter(g -> g.writers().contains(writer)).findFirst().orElseThrow();

        HandGrowth.growByOne(graph, writer, 5L);

        for (String grown : group.writers()) {
            assertEquals(group.width() + 1, ((FeedForwardLayer) ((LayerVertex) graph.getConfiguration().getVertices()
                    .get(grown)).getLayerConf().getLayer()).getNOut(), grown);
        }
        double change = maxAbsDifference(before, graph.outputSingle(x));
        assertTrue(change <= EXACT, shape + ", " + writer + ": output change " + change);
        graph.fit(new DataSet(x, TestData.oneHot(3, DataType.DOUBLE, 7, SurgeryGraphs.CLASSES)));
        assertTrue(maxAbsDifference(before, graph.outputSingle(x)) > 0.0, "training must go on after the growth");
    }
}
