package org.dl4jisotropic.core.testing;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The tests' independent oracle for singular values: commons-math3, which shares no code with either backend that
 * {@code Svd} uses (OpenBLAS's LAPACK and EJML).
 */
public final class CommonsMathSvd {

    private CommonsMathSvd() {
    }

    /** Singular values of a matrix, descending, DOUBLE. */
    public static INDArray singularValues(INDArray a) {
        double[][] values = a.castTo(DataType.DOUBLE).toDoubleMatrix();
        return Nd4j.createFromArray(new SingularValueDecomposition(new Array2DRowRealMatrix(values, false))
                .getSingularValues());
    }
}
