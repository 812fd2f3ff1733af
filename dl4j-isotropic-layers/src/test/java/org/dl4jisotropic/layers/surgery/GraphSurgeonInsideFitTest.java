package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.dl4jisotropic.core.testing.TestArrays.randomOrthogonal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dl4jisotropic.core.surgery.SurgeryReport;
import org.dl4jisotropic.core.testing.Tolerances;
import org.dl4jisotropic.layers.testing.TestData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Surgery from a listener inside {@code fit}: the graph object, the iteration count and the function survive a
 * rotation, a growth and a diagonalization, each report carries the probe's measured output change, and training runs
 * to the end.
 */
class GraphSurgeonInsideFitTest {

    private static final double EXACT = Tolerances.SURGERY_F64;
    private static final int BATCHES = 7;

    /** What one operation inside fit saw. */
    private record Seen(Model model, int iterationBefore, int iterationAfter, double change, SurgeryReport report) {
    }

    @Test
    void operationsInsideFitKeepTheObjectTheIterationCountAndTheOutput() {
        ComputationGraph graph = SurgeryGraphs.randomized(SurgeryGraphs.denseMerge(), 41L);
        INDArray probe = SurgeryGraphs.features(5, 9);
        List<Seen> seen = new ArrayList<>();
        graph.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                ComputationGraph g = (ComputationGraph) model;
                if (iteration != 1 && iteration != 3 && iteration != 5) {
                    return;
                }
                INDArray before = g.outputSingle(probe).dup();
                int iterationBefore = g.getConfiguration().getIterationCount();
                GraphSurgeon surgeon = new GraphSurgeon(g).withProbe(probe);
                SurgeryReport report = switch (iteration) {
                    case 1 -> surgeon.rotate("a", randomOrthogonal(6L, 3, DataType.DOUBLE));
                    case 3 -> surgeon.grow("b", 2, 8L);
                    default -> surgeon.diagonalizeLeft("h").report();
                };
                seen.add(new Seen(model, iterationBefore, g.getConfiguration().getIterationCount(),
                        maxAbsDifference(before, g.outputSingle(probe)), report));
            }
        });
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < BATCHES; i++) {
            batches.add(new DataSet(SurgeryGraphs.features(4, i), TestData.oneHot(600 + i, DataType.DOUBLE, 4,
                    SurgeryGraphs.CLASSES)));
        }

        graph.fit(new ListDataSetIterator<>(batches, 1));

        assertEquals(3, seen.size());
        for (Seen operation : seen) {
            assertSame(graph, operation.model());
            assertEquals(operation.iterationBefore(), operation.iterationAfter(), "iteration count");
            assertTrue(operation.change() <= EXACT, "output change " + operation.change());
            assertTrue(operation.report().maxOutputChange().orElseThrow() <= EXACT, operation.report().toString());
        }
        assertEquals(BATCHES, graph.getConfiguration().getIterationCount(), "every batch was trained");
        assertEquals(6, graph.getParam("b_b").length(), "b grew inside fit");
    }
}
