package org.dl4jisotropic.core.linalg;

import java.util.Arrays;
import java.util.Objects;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Singular value decomposition through LAPACK {@code gesvd}, the only SVD in ND4J 1.0.0-M2.1 that is correct for
 * every size (the {@code svd} custom op is wrong from 16 x 16 and can crash the JVM).
 *
 * <pre>
 *   A = U diag(S) V^T,     U [m, m] and V [n, n] orthogonal,     S [min(m, n)] descending
 * </pre>
 *
 * @implNote {@code gesvd} overwrites its input and reads the memory layout from the input's order, so this class
 *     decomposes a fresh 'f'-ordered DOUBLE copy and allocates every output in 'f' order: the caller's array is never
 *     touched (calling gesvd on a parameter view would silently clobber the network). The work is always done in
 *     double, also for FLOAT inputs, so rotations built from U and V are orthogonal to double precision before any
 *     cast. On CUDA the same call goes to cuSOLVER.
 */
public final class Svd {

    private Svd() {
    }

    /**
     * Decomposes a matrix.
     *
     * @param a matrix {@code [m, n]}, FLOAT or DOUBLE, all finite. Not modified.
     * @return U, S and V^T in DOUBLE
     * @throws IllegalArgumentException if a is not a finite, non-empty floating-point matrix
     */
    public static SvdResult decompose(INDArray a) {
        INDArray work = validatedCopy(a);
        long m = a.rows();
        long n = a.columns();
        INDArray s = Nd4j.create(DataType.DOUBLE, new long[] {Math.min(m, n)}, 'f');
        INDArray u = Nd4j.create(DataType.DOUBLE, new long[] {m, m}, 'f');
        INDArray vt = Nd4j.create(DataType.DOUBLE, new long[] {n, n}, 'f');
        Nd4j.getBlasWrapper().lapack().gesvd(work, s, u, vt);
        Scratch.release(work);
        return new SvdResult(u, s, vt);
    }

    /**
     * The left singular vectors and singular values only (V is not computed, which for a wide matrix is most of the
     * work): what left-partial diagonalisation needs.
     *
     * @param a matrix {@code [m, n]}, FLOAT or DOUBLE, all finite. Not modified.
     * @return U {@code [m, m]} and S {@code [min(m, n)]} descending, in DOUBLE
     * @throws IllegalArgumentException as for {@link #decompose}
     */
    public static LeftSvd decomposeLeft(INDArray a) {
        INDArray work = validatedCopy(a);
        long m = a.rows();
        INDArray s = Nd4j.create(DataType.DOUBLE, new long[] {Math.min(m, a.columns())}, 'f');
        INDArray u = Nd4j.create(DataType.DOUBLE, new long[] {m, m}, 'f');
        Nd4j.getBlasWrapper().lapack().gesvd(work, s, u, null);
        Scratch.release(work);
        return new LeftSvd(u, s);
    }

    /**
     * The singular values only.
     *
     * @param a matrix {@code [m, n]}, FLOAT or DOUBLE, all finite. Not modified.
     * @return {@code [min(m, n)]} descending, DOUBLE
     * @throws IllegalArgumentException as for {@link #decompose}
     */
    public static INDArray singularValues(INDArray a) {
        INDArray work = validatedCopy(a);
        INDArray s = Nd4j.create(DataType.DOUBLE, new long[] {Math.min(a.rows(), a.columns())}, 'f');
        Nd4j.getBlasWrapper().lapack().gesvd(work, s, null, null);
        Scratch.release(work);
        return s;
    }

    /**
     * U and S of a matrix, without V.
     *
     * @param u              {@code [m, m]}, orthogonal
     * @param singularValues {@code [min(m, n)]}, descending
     */
    public record LeftSvd(INDArray u, INDArray singularValues) {
    }

    /** Checks the input and returns the 'f'-ordered DOUBLE copy that gesvd may destroy. */
    private static INDArray validatedCopy(INDArray a) {
        Objects.requireNonNull(a, "matrix");
        if (a.rank() != 2 || a.rows() < 1 || a.columns() < 1) {
            throw new IllegalArgumentException("SVD input must be a non-empty matrix [m, n], found shape "
                    + Arrays.toString(a.shape()));
        }
        if (!a.dataType().isFPType()) {
            throw new IllegalArgumentException("SVD input must be FLOAT or DOUBLE, found " + a.dataType());
        }
        INDArray work = Nd4j.create(DataType.DOUBLE, a.shape(), 'f').assign(a);
        // The sum is finite unless an entry is NaN or infinite (or, for double entries near the top of the range,
        // the sum overflows; the exact checks settle that rare case).
        if (!Double.isFinite(work.sumNumber().doubleValue()) && (work.isNaN().any() || work.isInfinite().any())) {
            throw new IllegalArgumentException("SVD input must be finite, found NaN or infinity in a matrix of shape "
                    + Arrays.toString(a.shape()));
        }
        return work;
    }
}
