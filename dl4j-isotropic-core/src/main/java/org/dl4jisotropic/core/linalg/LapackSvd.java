package org.dl4jisotropic.core.linalg;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The native SVD of the ND4J backend in use: LAPACK's divide-and-conquer {@code gesdd} from the OpenBLAS that
 * {@code nd4j-native} ships, or on other backends ND4J's own {@code gesvd} (cuSOLVER on CUDA).
 *
 * <p>Why {@code gesdd} on the CPU: ND4J's {@code lapack().gesvd} with both factors took 15 s for a 1024 x 1024 matrix
 * and 159 s for 2048 x 2048 on a 2-core machine, {@code gesdd} 1.3 s and 5.5 s. Both come from OpenBLAS 0.3.19, whose
 * LAPACK is wrong on some AVX-512 CPUs ({@code ../shared/design/dl4j-notes.md} section 11), so results of this class
 * are only used after {@link SvdCheck} has passed them.
 */
public final class LapackSvd implements SvdBackend {

    /** The backend of the running ND4J. */
    public static final LapackSvd INSTANCE = new LapackSvd();

    private LapackSvd() {
    }

    @Override
    public String name() {
        return Nd4j.getEnvironment().isCPU() ? "LAPACK gesdd (OpenBLAS)" : "ND4J lapack gesvd";
    }

    @Override
    public SvdResult decompose(INDArray work, boolean fullV) {
        long m = work.rows();
        long n = work.columns();
        // gesdd's 'S' gives U [m, min(m, n)]: the full U only when m <= n, and then V^T [m, n] instead of [n, n]
        boolean thin = !fullV && m <= n;
        long vRows = thin ? m : n;
        INDArray s = Nd4j.create(DataType.DOUBLE, new long[] {Math.min(m, n)}, 'f');
        INDArray u = Nd4j.create(DataType.DOUBLE, new long[] {m, m}, 'f');
        INDArray vt = Nd4j.create(DataType.DOUBLE, new long[] {vRows, n}, 'f');
        if (Nd4j.getEnvironment().isCPU()) {
            int info = openblas.LAPACKE_dgesdd(openblas.LAPACK_COL_MAJOR, (byte) (thin ? 'S' : 'A'), (int) m,
                    (int) n, pointer(work), (int) m, pointer(s), pointer(u), (int) m, pointer(vt), (int) vRows);
            if (info != 0) {
                throw new IllegalStateException("LAPACKE_dgesdd failed with info " + info + " on a " + m + " x " + n
                        + " matrix");
            }
        } else if (thin) {
            INDArray full = Nd4j.create(DataType.DOUBLE, new long[] {n, n}, 'f');
            Nd4j.getBlasWrapper().lapack().gesvd(work, s, u, full);
            vt.assign(full.get(NDArrayIndex.interval(0, m), NDArrayIndex.all()));
        } else {
            Nd4j.getBlasWrapper().lapack().gesvd(work, s, u, vt);
        }
        return new SvdResult(u, s, vt);
    }

    /** The host memory of a fresh DOUBLE array, which LAPACKE reads and writes in place. */
    private static DoublePointer pointer(INDArray array) {
        return new DoublePointer(array.data().addressPointer());
    }
}
