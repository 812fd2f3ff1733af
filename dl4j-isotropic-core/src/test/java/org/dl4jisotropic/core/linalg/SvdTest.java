package org.dl4jisotropic.core.linalg;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dl4jisotropic.core.testing.CommonsMathSvd;
import org.dl4jisotropic.core.testing.FaultyBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The checked SVD is a correct decomposition at the sizes users train, whatever the native backend does: on this
 * machine's LAPACK, on the JVM backend alone, and with an injected fault that any CPU reproduces.
 */
class SvdTest {

    /** Orthogonality of U and V, and reconstruction relative to sigma_max, of a double-precision SVD. */
    private static final double EXACT = 1e-12;
    /** Agreement of singular values with the commons-math oracle, relative to sigma_max. */
    private static final double ORACLE = 1e-12;

    @ParameterizedTest(name = "{0} x {1}, {2}")
    @CsvSource({"256, 256, DOUBLE", "256, 256, FLOAT", "784, 256, DOUBLE", "784, 256, FLOAT", "256, 784, DOUBLE",
            "256, 784, FLOAT", "1024, 1024, DOUBLE", "1024, 1024, FLOAT", "2048, 512, DOUBLE", "2048, 512, FLOAT",
            "3, 5, DOUBLE", "40, 17, DOUBLE"})
    void theCheckedDecompositionIsOrthogonalAndReconstructsTheMatrix(int m, int n, DataType type) {
        INDArray a = gaussian(m * 31L + n, type, m, n);

        SvdResult svd = Svd.decompose(a);

        assertCorrectDecomposition(a, svd);
    }

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"256, 256", "784, 256", "256, 784", "40, 17"})
    void theJvmBackendAloneIsACorrectDecomposition(int m, int n) {
        INDArray a = gaussian(m * 7L + n, DataType.DOUBLE, m, n);

        SvdResult svd = JvmSvd.INSTANCE.decompose(a.dup('f'), true);

        assertCorrectDecomposition(a, svd);
    }

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"3, 5", "40, 17", "128, 300", "200, 120"})
    void singularValuesAgreeWithTheCommonsMathOracle(int m, int n) {
        INDArray a = gaussian(m * 13L + n, DataType.DOUBLE, m, n);
        INDArray oracle = CommonsMathSvd.singularValues(a);

        double error = maxAbsDifference(Svd.singularValues(a), oracle);

        assertTrue(error <= ORACLE * oracle.getDouble(0), () -> "max singular value error " + error);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(FaultyBackends.class)
    void aFaultyNativeResultIsDetectedAndReplacedByTheJvmResult(FaultyBackends fault) {
        INDArray a = gaussian(5, DataType.DOUBLE, 300, 200);
        long fallbacksBefore = Svd.fallbackCount();

        Svd.Checked checked;
        try (Svd.Restore restore = Svd.useBackend(fault, Svd.Fallback.JVM)) {
            checked = Svd.decomposeChecked(a);
        }

        assertTrue(checked.fellBack(), "the fault went unnoticed");
        assertEquals(JvmSvd.INSTANCE.name(), checked.backend());
        assertTrue(checked.nativeCheck() == null || !checked.nativeCheck().passed(), "native check passed");
        assertEquals(fallbacksBefore + 1, Svd.fallbackCount());
        assertCorrectDecomposition(a, checked.result());
    }

    @Test
    void withTheFallbackDisabledTheFaultyResultIsReturnedWithItsFailedCheck() {
        INDArray a = gaussian(6, DataType.DOUBLE, 64, 48);

        Svd.Checked checked;
        try (Svd.Restore restore = Svd.useBackend(FaultyBackends.NON_ORTHOGONAL_U, Svd.Fallback.DISABLED)) {
            checked = Svd.decomposeChecked(a);
        }

        assertFalse(checked.fellBack());
        assertFalse(checked.nativeCheck().passed());
        assertTrue(checked.nativeCheck().orthogonality() > 0.1, checked.nativeCheck().describe());
    }

    @Test
    void aCorrectNativeResultPassesItsCheck() {
        Svd.Checked checked = Svd.decomposeChecked(gaussian(7, DataType.DOUBLE, 120, 80));

        assertFalse(checked.fellBack(), () -> checked.nativeCheck().describe());
        assertTrue(checked.nativeCheck().passed());
    }

    @Test
    void restoringTheBackendEndsTheInjection() {
        try (Svd.Restore restore = Svd.useBackend(FaultyBackends.THROWS, Svd.Fallback.DISABLED)) {
            assertThrows(IllegalStateException.class, () -> Svd.decompose(gaussian(8, DataType.DOUBLE, 10, 10)));
        }

        assertFalse(Svd.decomposeChecked(gaussian(8, DataType.DOUBLE, 10, 10)).fellBack());
    }

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"256, 784", "784, 256", "300, 300"})
    void theLeftDecompositionHasAFullOrthogonalUAndTheSingularValues(int m, int n) {
        INDArray a = gaussian(m * 3L + n, DataType.DOUBLE, m, n);
        INDArray oracle = Svd.decompose(a).singularValues();

        Svd.LeftSvd left = Svd.decomposeLeft(a);

        assertEquals(m, left.u().rows());
        assertEquals(m, left.u().columns());
        double uError = maxAbsDifference(left.u().transpose().mmul(left.u()), Nd4j.eye(m).castTo(DataType.DOUBLE));
        assertTrue(uError <= EXACT, () -> "max|U^T U - I| = " + uError);
        assertTrue(maxAbsDifference(left.singularValues(), oracle) <= ORACLE * oracle.getDouble(0));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(FaultyBackends.class)
    void aFaultyLeftDecompositionOfAWideMatrixIsAlsoReplaced(FaultyBackends fault) {
        INDArray a = gaussian(9, DataType.DOUBLE, 40, 100);
        long fallbacksBefore = Svd.fallbackCount();

        Svd.LeftSvd left;
        try (Svd.Restore restore = Svd.useBackend(fault, Svd.Fallback.JVM)) {
            left = Svd.decomposeLeft(a);
        }

        assertEquals(fallbacksBefore + 1, Svd.fallbackCount());
        INDArray oracle = CommonsMathSvd.singularValues(a);
        assertTrue(maxAbsDifference(left.singularValues(), oracle) <= ORACLE * oracle.getDouble(0));
    }

    @Test
    void leftOnlyAndValuesOnlyVariantsAgreeWithTheFullDecomposition() {
        INDArray a = gaussian(11, DataType.DOUBLE, 30, 70);
        SvdResult full = Svd.decompose(a);
        Svd.LeftSvd left = Svd.decomposeLeft(a);
        assertTrue(maxAbsDifference(full.singularValues(), left.singularValues()) <= EXACT);
        assertTrue(maxAbsDifference(full.singularValues(), Svd.singularValues(a)) <= EXACT);
        INDArray reconstructedGram = left.u().mmul(Nd4j.diag(left.singularValues()
                .mul(left.singularValues()))).mmul(left.u().transpose());
        assertTrue(maxAbsDifference(a.mmul(a.transpose()), reconstructedGram) <= 1e-10, "A A^T = U S^2 U^T");
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

    /**
     * Checks a decomposition from its definition, without {@link SvdCheck}: U and V orthogonal, S descending and
     * non-negative, and {@code U diag(S) V^T} equal to A (in double, whatever A's type).
     */
    private static void assertCorrectDecomposition(INDArray a, SvdResult svd) {
        int m = (int) a.rows();
        int n = (int) a.columns();
        double[] s = svd.singularValues().toDoubleVector();
        for (int i = 0; i < s.length; i++) {
            assertTrue(s[i] >= 0 && (i == 0 || s[i] <= s[i - 1]), "singular values descending at " + i);
        }
        INDArray identityM = Nd4j.eye(m).castTo(DataType.DOUBLE);
        INDArray identityN = Nd4j.eye(n).castTo(DataType.DOUBLE);
        double uError = maxAbsDifference(svd.u().transpose().mmul(svd.u()), identityM);
        double vError = maxAbsDifference(svd.vt().mmul(svd.v()), identityN);
        assertTrue(uError <= EXACT, () -> "max|U^T U - I| = " + uError);
        assertTrue(vError <= EXACT, () -> "max|V^T V - I| = " + vError);
        INDArray sigma = Nd4j.zeros(DataType.DOUBLE, m, n);
        for (int i = 0; i < s.length; i++) {
            sigma.putScalar(i, i, s[i]);
        }
        INDArray reconstructed = svd.u().mmul(sigma).mmul(svd.vt());
        double error = maxAbsDifference(a.castTo(DataType.DOUBLE), reconstructed);
        assertTrue(error <= EXACT * s[0], () -> "reconstruction error " + error + " for sigma_max " + s[0]);
    }
}
