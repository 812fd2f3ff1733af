package org.dl4jisotropic.core.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A source of full singular value decompositions. {@link Svd} never trusts one: it checks every result with
 * {@link SvdCheck} and replaces a wrong one.
 *
 * <pre>
 *   A = U diag(S) V^T,     U [m, m] and V [n, n] orthogonal,     S [min(m, n)] descending, non-negative
 * </pre>
 */
public interface SvdBackend {

    /** A short name for messages and reports, such as {@code "LAPACK gesdd"}. */
    String name();

    /**
     * Decomposes a matrix.
     *
     * @param work  a DOUBLE matrix {@code [m, n]} in 'f' order, finite; the backend may overwrite it
     * @param fullV whether V^T must be the full {@code [n, n]}; if false it may be only its first {@code min(m, n)}
     *              rows, which is all that left-partial diagonalization and the singular values need (and, for a
     *              wide matrix, most of the work saved). U is always the full {@code [m, m]}.
     * @return U, S and V^T in DOUBLE; nothing is promised about their accuracy, which is what {@link SvdCheck} is for
     */
    SvdResult decompose(INDArray work, boolean fullV);
}
