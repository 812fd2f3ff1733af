package org.dl4jisotropic.core.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A singular value decomposition {@code A = U diag(S) V^T} of an {@code m x n} matrix, in DOUBLE.
 *
 * @param u              {@code [m, m]}, orthogonal
 * @param singularValues {@code [min(m, n)]}, descending, non-negative
 * @param vt             the transpose of V: {@code [n, n]} and orthogonal, or (when only the left side was asked
 *                       for) its first {@code min(m, n)} rows, orthonormal
 */
public record SvdResult(INDArray u, INDArray singularValues, INDArray vt) {

    /** The right singular vectors V, {@code [n, n]} (or {@code [n, min(m, n)]}, as {@link #vt}). */
    public INDArray v() {
        return vt.transpose();
    }
}
