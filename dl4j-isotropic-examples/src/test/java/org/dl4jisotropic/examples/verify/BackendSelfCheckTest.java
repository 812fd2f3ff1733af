package org.dl4jisotropic.examples.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.dl4jisotropic.core.linalg.Svd;
import org.dl4jisotropic.core.testing.FaultyBackends;
import org.junit.jupiter.api.Test;

/** The self-check says which SVD path was taken: the native one when it passes, the JVM fallback when it does not. */
class BackendSelfCheckTest {

    private static final List<int[]> SMALL_SHAPES = List.of(new int[] {60, 20}, new int[] {30, 30});

    @Test
    void aCorrectNativeSvdIsReportedAsPassing() {
        List<CheckResult> results = BackendSelfCheck.run(SMALL_SHAPES);

        assertEquals(4, results.size());
        for (CheckResult result : results) {
            assertTrue(result.passed() && result.property().contains("passed its check"), result.property());
            assertTrue(result.measured() > 0 && result.measured() <= result.tolerance(), result::toString);
        }
    }

    @Test
    void aFaultyNativeSvdIsReportedAsReplacedAndItsReplacementPasses() {
        List<CheckResult> results;
        try (Svd.Restore restore = Svd.useBackend(FaultyBackends.NON_ORTHOGONAL_U, Svd.Fallback.JVM)) {
            results = BackendSelfCheck.run(SMALL_SHAPES);
        }

        for (CheckResult result : results) {
            assertTrue(result.passed() && result.property().contains("JVM fallback used"), result.property());
        }
    }

    @Test
    void aFaultyNativeSvdWithoutFallbackFails() {
        List<CheckResult> results;
        try (Svd.Restore restore = Svd.useBackend(FaultyBackends.NON_ORTHOGONAL_U, Svd.Fallback.DISABLED)) {
            results = BackendSelfCheck.run(SMALL_SHAPES);
        }

        for (CheckResult result : results) {
            assertTrue(!result.passed() && result.measured() > 0.1, result::toString);
        }
    }
}
