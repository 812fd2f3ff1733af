package org.dl4jisotropic.layers.surgery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Left diagonalization of a group: the spectrum it returns is the singular spectrum of the writers' weights stacked
 * (computed here by commons-math from DL4J's arrays), and afterwards the stacked weights' columns are orthogonal with
 * exactly those norms, in descending order.
 */
class GraphSurgeonDiagonalizationTest {

    private static final double EXACT = Tolerances.SURGERY_F64;

    @Test
    void aResidualStreamIsDiagonalizedOverAllItsWritersAtOnce() {
        ComputationGraph graph = SurgeryGraphs.randomized(SurgeryGraphs.residual(), 51L);
        List<String> writers = List.of("s0", "r2");
        double[] expected = new SingularValueDecomposition(stacked(graph, writers)).getSingularValues();

        GraphDiagonalization result = new GraphSurgeon(graph).diagonalizeLeft("s0");

        assertArrayEquals(expected, result.spectrum().values(), EXACT);
        RealMatrix gram = stacked(graph, writers).transpose().multiply(stacked(graph, writers));
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected.length; j++) {
                double target = i == j ? expected[i] * expected[i] : 0.0;
                assertEquals(target, gram.getEntry(i, j), EXACT, "Gram matrix entry " + i + ", " + j);
            }
        }
    }

    @Test
    void aDenseLayersSpectrumComesFromItsIncomingWeights() {
        ComputationGraph graph = SurgeryGraphs.randomized(SurgeryGraphs.denseMerge(), 52L);
        double[] expected = new SingularValueDecomposition(stacked(graph, List.of("b"))).getSingularValues();

        GraphDiagonalization result = new GraphSurgeon(graph).diagonalizeLeft("b");

        assertArrayEquals(expected, result.spectrum().values(), EXACT);
        assertTrue(result.report().maxOutputChange().isEmpty(), "no probe, no measurement");
    }

    /**
     * The writers' weights as one matrix, {@code [sum of fan-ins, channels]}: dense W as it is, convolution weights
     * {@code [nOut, nIn, kH, kW]} as {@code [nIn·kH·kW, nOut]} (the order of the rows does not change the spectrum).
     */
    private static RealMatrix stacked(ComputationGraph graph, List<String> writers) {
        double[][] rows = new double[0][];
        for (String writer : writers) {
            INDArray w = graph.getParam(writer + "_W").dup();
            INDArray matrix = w.rank() == 4 ? w.dup('c').reshape('c', w.size(0), w.length() / w.size(0)).transpose()
                    : w;
            double[][] block = matrix.toDoubleMatrix();
            double[][] joined = new double[rows.length + block.length][];
            System.arraycopy(rows, 0, joined, 0, rows.length);
            System.arraycopy(block, 0, joined, rows.length, block.length);
            rows = joined;
        }
        return new Array2DRowRealMatrix(rows, false);
    }
}
