package org.dl4jisotropic.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dl4jisotropic.core.linalg.Svd;
import org.dl4jisotropic.core.testing.FaultyBackends;
import org.junit.jupiter.api.Test;

/**
 * {@code isotropic verify} checks real sizes, prints measured values, says which SVD path it used, and reports a
 * failing property with exit code 1 (never 2, which means a bad option).
 */
class VerifyCommandTest {

    /** SVD lines (2 dtypes x 3 shapes) + 11 small-network properties + 4 main-model properties. */
    private static final int PROPERTIES = 23;
    /** GradientCheckUtil's accepted relative error, which verify uses too. */
    private static final double MAX_RELATIVE_ERROR = 1e-5;
    private static final Pattern GRADIENT_LINE = Pattern.compile(
            "PASS DL4J GradientCheckUtil.*measured (\\S+)");

    private static Invocation verify() {
        return Invocation.of("verify");
    }

    @Test
    void everyPropertyPassesOnThisBackendIncludingTheMainModelAndTheSvdAtLayerSizes() {
        Invocation verify = verify();

        assertEquals(0, verify.exitCode(), verify.out() + verify.err());
        assertTrue(verify.out().contains(PROPERTIES + " passed, 0 failed"), verify.out());
        for (String shape : List.of("784 x 256 FLOAT", "256 x 256 DOUBLE", "1024 x 1024 DOUBLE")) {
            assertTrue(verify.out().contains("SVD of a " + shape + " matrix"), verify.out());
        }
        assertTrue(verify.out().contains("(784-256-256-10)"), verify.out());
        Matcher gradient = GRADIENT_LINE.matcher(verify.out());
        assertTrue(gradient.find(), verify.out());
        double measured = Double.parseDouble(gradient.group(1));
        assertTrue(measured > 0 && measured <= MAX_RELATIVE_ERROR, () -> "GradientCheckUtil max relative error " + measured);
    }

    @Test
    void aFaultyNativeSvdWithoutFallbackFailsTheChecksWithExitCodeOne() {
        Invocation verify;
        try (Svd.Restore restore = Svd.useBackend(FaultyBackends.NON_ORTHOGONAL_U, Svd.Fallback.DISABLED)) {
            verify = verify();
        }

        assertEquals(1, verify.exitCode(), verify.out() + verify.err());
        assertTrue(verify.out().contains("FAIL SVD of a 784 x 256"), verify.out());
        assertTrue(verify.out().contains("FAIL left-partial diagonalization of both layers (784-256-256-10)"),
                verify.out());
    }
}
