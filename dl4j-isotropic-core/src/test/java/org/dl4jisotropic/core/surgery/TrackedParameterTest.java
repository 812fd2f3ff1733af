package org.dl4jisotropic.core.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.dl4jisotropic.core.testing.TestArrays.randomOrthogonal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

class TrackedParameterTest {

    private static TrackedParameter adamLike(INDArray value) {
        INDArray m = gaussian(1, DataType.DOUBLE, value.shape());
        INDArray v = Transforms.abs(gaussian(2, DataType.DOUBLE, value.shape()), false);
        INDArray u = Transforms.abs(gaussian(3, DataType.DOUBLE, value.shape()), false);
        return new TrackedParameter(value, List.of(MomentKind.LINEAR, MomentKind.SQUARED, MomentKind.MAGNITUDE),
                List.of(m, v, u));
    }

    @Test
    void columnRotationMapsFirstMomentsExactlyAndSecondMomentsThroughTheSquaredRotation() {
        TrackedParameter p = adamLike(gaussian(4, DataType.DOUBLE, 5, 4));
        List<INDArray> before = p.moments();
        INDArray r = randomOrthogonal(5, 4, DataType.DOUBLE);

        p.rotateColumns(r);

        INDArray r2 = r.mul(r);
        assertTrue(maxAbsDifference(before.get(0).mmul(r), p.moments().get(0)) <= Tolerances.ROUNDING_F64);
        assertTrue(maxAbsDifference(before.get(1).mmul(r2), p.moments().get(1)) <= Tolerances.ROUNDING_F64);
        INDArray u = before.get(2);
        assertTrue(maxAbsDifference(Transforms.sqrt(u.mul(u).mmul(r2)), p.moments().get(2)) <= Tolerances.ROUNDING_F64);
    }

    @Test
    void rowRotationUsesTheTransposedRotation() {
        TrackedParameter p = adamLike(gaussian(4, DataType.DOUBLE, 4, 3));
        INDArray value = p.value();
        INDArray m = p.moments().get(0);
        INDArray r = randomOrthogonal(6, 4, DataType.DOUBLE);

        p.rotateRows(r);

        assertTrue(maxAbsDifference(r.transpose().mmul(value), p.value()) <= Tolerances.ROUNDING_F64);
        assertTrue(maxAbsDifference(r.transpose().mmul(m), p.moments().get(0)) <= Tolerances.ROUNDING_F64);
    }

    @Test
    void groupedRowRotationIsTheKroneckerProductWithTheIdentity() {
        int neurons = 4;
        int k = 3;
        TrackedParameter p = adamLike(gaussian(4, DataType.DOUBLE, neurons * k, 5));
        INDArray value = p.value();
        List<INDArray> before = p.moments();
        INDArray r = randomOrthogonal(8, neurons, DataType.DOUBLE);
        INDArray kron = kroneckerWithIdentity(r, k);
        INDArray kron2 = kroneckerWithIdentity(r.mul(r), k);

        p.rotateRows(r, k);

        assertTrue(maxAbsDifference(kron.transpose().mmul(value), p.value()) <= Tolerances.ROUNDING_F64);
        assertTrue(maxAbsDifference(kron.transpose().mmul(before.get(0)), p.moments().get(0))
                <= Tolerances.ROUNDING_F64);
        assertTrue(maxAbsDifference(kron2.transpose().mmul(before.get(1)), p.moments().get(1))
                <= Tolerances.ROUNDING_F64);
        INDArray u = before.get(2);
        assertTrue(maxAbsDifference(Transforms.sqrt(kron2.transpose().mmul(u.mul(u))), p.moments().get(2))
                <= Tolerances.ROUNDING_F64);
    }

    @Test
    void groupedRowRotationRefusesARotationOfTheWrongSize() {
        TrackedParameter p = adamLike(gaussian(4, DataType.DOUBLE, 6, 2));

        assertThrows(IllegalArgumentException.class, () -> p.rotateRows(randomOrthogonal(1, 6, DataType.DOUBLE), 2));
    }

    /** {@code R (x) I_k} written out entry by entry: row i*k+t, column j*k+t holds R[i, j]. */
    private static INDArray kroneckerWithIdentity(INDArray r, int k) {
        int n = (int) r.rows();
        double[][] out = new double[n * k][n * k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int t = 0; t < k; t++) {
                    out[i * k + t][j * k + t] = r.getDouble(i, j);
                }
            }
        }
        return org.nd4j.linalg.factory.Nd4j.create(out);
    }

    @Test
    void appendedEntriesGetZeroFirstMomentAndTheMeanSecondMoment() {
        TrackedParameter p = adamLike(gaussian(4, DataType.DOUBLE, 3, 2));
        double meanV = p.moments().get(1).meanNumber().doubleValue();

        p.appendColumns(gaussian(7, DataType.DOUBLE, 3, 2));

        INDArray newM = p.moments().get(0).get(NDArrayIndex.all(), NDArrayIndex.interval(2, 4));
        INDArray newV = p.moments().get(1).get(NDArrayIndex.all(), NDArrayIndex.interval(2, 4));
        assertEquals(0.0, newM.amaxNumber().doubleValue(), Tolerances.IDENTICAL);
        assertEquals(meanV, newV.minNumber().doubleValue(), Tolerances.ROUNDING_F64);
        assertEquals(meanV, newV.maxNumber().doubleValue(), Tolerances.ROUNDING_F64);
    }

    @Test
    void keepingRowsDropsTheSameRowsFromEveryMoment() {
        TrackedParameter p = adamLike(gaussian(4, DataType.DOUBLE, 5, 3));
        INDArray m = p.moments().get(0);

        p.keepRows(2);

        assertEquals(2, p.value().rows());
        assertEquals(m.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all()), p.moments().get(0));
    }

    @Test
    void aMomentOfAnotherShapeIsRejected() {
        INDArray value = gaussian(4, DataType.DOUBLE, 3, 2);
        assertThrows(IllegalArgumentException.class, () -> new TrackedParameter(value, List.of(MomentKind.LINEAR),
                List.of(gaussian(4, DataType.DOUBLE, 2, 3))));
    }
}
