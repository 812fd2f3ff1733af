package org.dl4jisotropic.core.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SVD of EJML, on the JVM: independent of ND4J's native code and of the CPU's vector units, so it is the
 * fallback when the native result fails its check. Correct on every machine; single-threaded, so several times
 * slower than LAPACK for layer-sized matrices (about 3 s for 1024 x 1024 on one core).
 *
 * <p>Why EJML rather than commons-math3 (already on the class path): EJML's implicit-QR SVD is several times faster,
 * computes full factors, and is a maintained numerics library; commons-math3 stays the tests' independent oracle.
 */
public final class JvmSvd implements SvdBackend {

    /** The only instance; it has no state. */
    public static final JvmSvd INSTANCE = new JvmSvd();

    private JvmSvd() {
    }

    @Override
    public String name() {
        return "JVM SVD (EJML)";
    }

    /** Always returns the full V^T: EJML's full decomposition is the simplest correct one, and this is the slow path. */
    @Override
    public SvdResult decompose(INDArray work, boolean fullV) {
        int m = (int) work.rows();
        int n = (int) work.columns();
        DMatrixRMaj a = new DMatrixRMaj(m, n);
        // 'f' order: element (i, j) at i + j m; EJML is row-major
        double[] columnMajor = work.data().asDouble();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                a.unsafe_set(i, j, columnMajor[i + j * m]);
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, true, true, false);
        if (!svd.decompose(a)) {
            throw new IllegalStateException("EJML's SVD did not converge on a " + m + " x " + n + " matrix");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj v = svd.getV(null, false);
        SingularOps_DDRM.descendingOrder(u, false, w, v, false);
        double[] s = new double[Math.min(m, n)];
        for (int i = 0; i < s.length; i++) {
            s[i] = w.get(i, i);
        }
        return new SvdResult(toNd4j(u), Nd4j.createFromArray(s), toNd4j(v).transpose().dup('f'));
    }

    private static INDArray toNd4j(DMatrixRMaj matrix) {
        return Nd4j.create(matrix.getData(), new long[] {matrix.numRows, matrix.numCols}, DataType.DOUBLE).dup('f');
    }
}
