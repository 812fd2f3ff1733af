package org.dl4jisotropic.core.linalg;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SvdTest {

    @ParameterizedTest(name = "{0} x {1}, {2}")
    @CsvSource({"3, 5, DOUBLE", "40, 17, DOUBLE", "64, 256, DOUBLE", "300, 200, FLOAT", "16, 16, FLOAT"})
    void reconstructsTheMatrixAndAgreesWithTheJvmOracle(int m, int n, DataType type) {
        INDArray a = gaussian(m * 31L + n, type, m, n);
        SvdResult svd = Svd.decompose(a);

        INDArray sigma = Nd4j.zeros(DataType.DOUBLE, m, n);
        for (int i = 0; i < Math.min(m, n); i++) {
            sigma.putScalar(i, i, svd.singularValues().getDouble(i));
        }
        INDArray reconstructed = svd.u().mmul(sigma).mmul(svd.vt());
        double scale = a.castTo(DataType.DOUBLE).norm2Number().doubleValue();
        double tolerance = type == DataType.DOUBLE ? 1e-13 : 1e-6;
        assertTrue(maxAbsDifference(a, reconstructed) <= tolerance * scale, "reconstruction");
        assertTrue(maxAbsDifference(svd.singularValues(), JvmSvd.singularValues(a)) <= tolerance * scale, "oracle");
        assertTrue(maxAbsDifference(svd.u().transpose().mmul(svd.u()), Nd4j.eye(m).castTo(DataType.DOUBLE)) <= 1e-12);
        assertTrue(maxAbsDifference(svd.vt().mmul(svd.v()), Nd4j.eye(n).castTo(DataType.DOUBLE)) <= 1e-12);
    }

    @Test
    void leftOnlyAndValuesOnlyVariantsAgreeWithTheFullDecomposition() {
        INDArray a = gaussian(11, DataType.DOUBLE, 30, 70);
        SvdResult full = Svd.decompose(a);
        Svd.LeftSvd left = Svd.decomposeLeft(a);
        assertTrue(maxAbsDifference(full.singularValues(), left.singularValues()) <= 1e-12);
        assertTrue(maxAbsDifference(full.singularValues(), Svd.singularValues(a)) <= 1e-12);
        INDArray reconstructedGram = left.u().mmul(Nd4j.diag(left.singularValues()
                .mul(left.singularValues()))).mmul(left.u().transpose());
        assertTrue(maxAbsDifference(a.mmul(a.transpose()), reconstructedGram) <= 1e-10, "A A^T = U S^2 U^T");
    }

    @Test
    void singularValuesAreDescending() {
        double[] s = Svd.decompose(gaussian(1, DataType.DOUBLE, 30, 20)).singularValues().toDoubleVector();
        for (int i = 1; i < s.length; i++) {
            assertTrue(s[i - 1] >= s[i], "index " + i);
        }
    }

    @Test
    void theInputIsNotModified() {
        INDArray a = gaussian(2, DataType.DOUBLE, 20, 20);
        INDArray copy = a.dup();
        Svd.decompose(a);
        assertEquals(copy, a);
    }

    @Test
    void nanInputIsRejected() {
        INDArray a = gaussian(3, DataType.DOUBLE, 4, 4);
        a.putScalar(1, 1, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Svd.decompose(a));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
    }

    @Test
    void aVectorIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Svd.decompose(Nd4j.ones(DataType.DOUBLE, 4)));
    }
}
