package org.dl4jisotropic.core.linalg;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Singular values on the JVM (commons-math3), independent of ND4J's native code: the oracle that {@link Svd} is
 * tested against, and a fallback for small matrices where no native LAPACK is available.
 */
public final class JvmSvd {

    private JvmSvd() {
    }

    /**
     * Singular values of a matrix.
     *
     * @param a matrix {@code [m, n]}, finite. Not modified.
     * @return {@code [min(m, n)]} descending, DOUBLE
     */
    public static INDArray singularValues(INDArray a) {
        RealMatrix matrix = new Array2DRowRealMatrix(a.castTo(DataType.DOUBLE).toDoubleMatrix(), false);
        double[] values = new SingularValueDecomposition(matrix).getSingularValues();
        return Nd4j.createFromArray(values);
    }
}
