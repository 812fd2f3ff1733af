package org.dl4jisotropic.core.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A full singular value decomposition {@code A = U diag(S) V^T} of an {@code m x n} matrix, in DOUBLE.
 *
 * @param u              {@code [m, m]}, orthogonal
 * @param singularValues {@code [min(m, n)]}, descending, non-negative
 * @param vt             {@code [n, n]}, orthogonal (the transpose of V)
 */
public record SvdResult(INDArray u, INDArray singularValues, INDArray vt) {

    /** The right singular vectors V, {@code [n, n]}. */
    public INDArray v() {
        return vt.transpose();
    }
}
