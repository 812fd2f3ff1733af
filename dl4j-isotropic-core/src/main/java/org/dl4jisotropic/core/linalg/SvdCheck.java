package org.dl4jisotropic.core.linalg;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The measured quality of a singular value decomposition {@code A = U diag(S) V^T}, in DOUBLE.
 *
 * <pre>
 *   orthogonality = max(max|U^T U - I|, max|V^T V - I|)      (V's columns orthonormal if V^T is not square)
 *   residual      = max|A - U diag(S) V^T| / max(S_0, min positive double)
 *   ordered       = S finite, non-negative and descending
 * </pre>
 * A backward-stable SVD in double gives about 1e-14 for both figures at layer sizes (2048 x 2048 included); the
 * faulty OpenBLAS kernels gave orthogonality errors from 2 to 10. The check costs three matrix products of the size
 * of the factors, done by ND4J's BLAS, which was measured correct where its LAPACK was not.
 *
 * @param orthogonality max deviation of U and V from orthogonal
 * @param residual      reconstruction error relative to the largest singular value
 * @param ordered       whether the singular values are finite, non-negative and descending
 */
public record SvdCheck(double orthogonality, double residual, boolean ordered) {

    /** The largest accepted deviation of a factor from orthogonal, in double (issue 11: 1e-12). */
    public static final double ORTHOGONALITY_TOLERANCE = 1e-12;

    /** The largest accepted reconstruction error, relative to the largest singular value. */
    public static final double RESIDUAL_TOLERANCE = 1e-12;

    /**
     * Measures a decomposition.
     *
     * @param a   the decomposed matrix {@code [m, n]}, DOUBLE
     * @param svd its claimed decomposition
     */
    public static SvdCheck of(INDArray a, SvdResult svd) {
        double[] s = svd.singularValues().toDoubleVector();
        boolean ordered = true;
        for (int i = 0; i < s.length; i++) {
            ordered &= Double.isFinite(s[i]) && s[i] >= 0 && (i == 0 || s[i] <= s[i - 1]);
        }
        // the columns of V, also when V^T holds only its first min(m, n) rows
        double orthogonality = Math.max(deviationFromOrthogonal(svd.u()),
                deviationFromOrthogonal(svd.vt().transpose()));
        // U diag(S) V^T built from the first min(m, n) columns of U and rows of V^T
        int k = s.length;
        INDArray scaledU = svd.u().get(NDArrayIndex.all(), NDArrayIndex.interval(0, k))
                .mulRowVector(svd.singularValues().reshape(1, k));
        INDArray reconstruction = scaledU.mmul(svd.vt().get(NDArrayIndex.interval(0, k), NDArrayIndex.all()));
        double largest = s.length == 0 ? 0 : s[0];
        double residual = reconstruction.subi(a).amaxNumber().doubleValue() / Math.max(largest, Double.MIN_NORMAL);
        Scratch.release(scaledU, reconstruction);
        return new SvdCheck(orthogonality, residual, ordered);
    }

    /**
     * {@code max|Q^T Q - I|}, computed in DOUBLE: the deviation of Q's columns from orthonormal (for a square Q, from
     * orthogonal). NaN propagates (and so fails every check).
     *
     * @param q a matrix {@code [m, k]}, FLOAT or DOUBLE. Not modified.
     */
    public static double deviationFromOrthogonal(INDArray q) {
        INDArray d = q.castTo(DataType.DOUBLE);
        INDArray gram = d.transpose().mmul(d);
        gram.subi(Nd4j.eye(gram.rows()).castTo(DataType.DOUBLE));
        double deviation = gram.isNaN().any() ? Double.NaN : gram.amaxNumber().doubleValue();
        Scratch.release(gram);
        if (d != q) {
            Scratch.release(d);
        }
        return deviation;
    }

    /** Whether both figures are within tolerance and the singular values are ordered (NaN fails). */
    public boolean passed() {
        return ordered && orthogonality <= ORTHOGONALITY_TOLERANCE && residual <= RESIDUAL_TOLERANCE;
    }

    /** The figures as one line for messages. */
    public String describe() {
        return String.format("max|U^T U - I|, max|V^T V - I| = %.1e, reconstruction error = %.1e of sigma_max%s",
                orthogonality, residual, ordered ? "" : ", singular values not finite and descending");
    }
}
