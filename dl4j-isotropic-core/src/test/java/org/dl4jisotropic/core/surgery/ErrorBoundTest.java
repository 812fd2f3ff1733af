package org.dl4jisotropic.core.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;

import org.dl4jisotropic.core.testing.Stacks;
import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Removing a neuron whose singular value is s* changes the logits linearly in s*, within the reported bound. */
class ErrorBoundTest {

    private static final long SEED = 23L;
    private static final int LAYER = 1;
    /** A linear error grows tenfold per decade of the removed singular value, within 10% (method notes, section 10). */
    private static final double TENFOLD = 10.0;
    private static final double LINEARITY_RELATIVE = 0.1;
    /** The SVD returns a planted small singular value to about 1e-9 of its size, next to O(1) others. */
    private static final double SINGULAR_VALUE_RELATIVE = 1e-9;

    /** Removal error for a stack whose last neuron of LAYER (after diagonalization) has singular value epsilon. */
    private static double[] removalErrorAndBound(double epsilon) {
        IsotropicStack stack = Stacks.random(SEED, DataType.DOUBLE, 9, 6, 5, 8, 3);   // layer 1: 5 neurons, 6 inputs, full rank
        Diagonalizer.diagonalizeLeft(stack, LAYER);
        LinearBlock block = stack.layer(LAYER);
        long last = block.width() - 1;
        INDArray w = block.weights().value().dup();
        INDArray column = w.get(NDArrayIndex.all(), NDArrayIndex.point(last));
        column.muli(epsilon / column.norm2Number().doubleValue());
        block.weights().setValue(w);
        INDArray psi = block.psi().orElseThrow().value().dup();
        psi.putScalar(0, last, 0.0);
        block.psi().orElseThrow().setValue(psi);
        INDArray probe = gaussian(SEED + 1, DataType.DOUBLE, 64, 9);
        INDArray before = stack.logits(probe);

        SurgeryReport report = Neurodegeneration.shrink(stack, LAYER, 1,
                ErrorBound.universalInputNormBound(stack, LAYER));

        assertEquals(epsilon, report.removedSingularValues().get(0),
                Tolerances.SURGERY_F64 + SINGULAR_VALUE_RELATIVE * epsilon);
        return new double[] {maxAbsDifference(before, stack.logits(probe)), report.errorBound().getAsDouble()};
    }

    @Test
    void errorGrowsTenfoldPerDecadeOfTheRemovedSingularValue() {
        double e3 = removalErrorAndBound(1e-3)[0];
        double e4 = removalErrorAndBound(1e-4)[0];
        double e5 = removalErrorAndBound(1e-5)[0];
        assertEquals(TENFOLD, e3 / e4, TENFOLD * LINEARITY_RELATIVE, "ratio 1e-3/1e-4");
        assertEquals(TENFOLD, e4 / e5, TENFOLD * LINEARITY_RELATIVE, "ratio 1e-4/1e-5");
    }

    @Test
    void measuredErrorIsWithinTheReportedBound() {
        for (double epsilon : new double[] {1e-1, 1e-2, 1e-3}) {
            double[] errorAndBound = removalErrorAndBound(epsilon);
            assertTrue(errorAndBound[0] > 0 && errorAndBound[0] <= errorAndBound[1],
                    "epsilon " + epsilon + ": error " + errorAndBound[0] + ", bound " + errorAndBound[1]);
        }
    }

    @Test
    void firstLayerBoundIsUnknownWithoutAnInputNormBound() {
        IsotropicStack stack = Stacks.random(SEED, DataType.DOUBLE, 9, 6, 8, 3);
        assertTrue(ErrorBound.universalInputNormBound(stack, 0).isEmpty());
        assertEquals(OptionalDouble.of(1.0), ErrorBound.universalInputNormBound(stack, 1));
    }
}
