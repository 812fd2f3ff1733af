package org.dl4jisotropic.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.dl4jisotropic.core.runtime.NativeThreads.Source;
import org.dl4jisotropic.core.runtime.NativeThreads.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

class NativeThreadsTest {

    private static final Map<String, String> NO_VARIABLES = Map.of();

    @ParameterizedTest(name = "{0} cores -> 1 OpenMP, {1} BLAS")
    @CsvSource({"1, 1", "2, 2", "8, 8", "9, 8", "64, 8"})
    void libraryRuleGivesOneOpenMpThreadAndEveryCoreUpToEightToBlas(int cores, int blas) {
        assertEquals(new Split(1, blas, Source.LIBRARY), NativeThreads.choose(cores, NO_VARIABLES));
    }

    @Test
    void ompNumThreadsAloneSetsBothPoolsAsNd4jDoesAtLoad() {
        assertEquals(new Split(3, 3, Source.ENVIRONMENT),
                NativeThreads.choose(16, Map.of(NativeThreads.OMP_NUM_THREADS, "3")));
        assertEquals(new Split(16, 16, Source.ENVIRONMENT),
                NativeThreads.choose(64, Map.of(NativeThreads.OMP_NUM_THREADS, "16")));   // above the cap
    }

    @Test
    void openBlasNumThreadsAloneSetsOnlyBlas() {
        assertEquals(new Split(1, 5, Source.ENVIRONMENT),
                NativeThreads.choose(16, Map.of(NativeThreads.OPENBLAS_NUM_THREADS, "5")));
        assertEquals(new Split(1, 12, Source.ENVIRONMENT),
                NativeThreads.choose(16, Map.of(NativeThreads.OPENBLAS_NUM_THREADS, "12")));   // above the cap
    }

    @Test
    void bothVariablesSetEachPool() {
        assertEquals(new Split(2, 7, Source.ENVIRONMENT), NativeThreads.choose(16,
                Map.of(NativeThreads.OMP_NUM_THREADS, "2", NativeThreads.OPENBLAS_NUM_THREADS, "7")));
    }

    @Test
    void blankVariablesAreIgnored() {
        assertEquals(new Split(1, 4, Source.LIBRARY), NativeThreads.choose(4,
                Map.of(NativeThreads.OMP_NUM_THREADS, " ", NativeThreads.OPENBLAS_NUM_THREADS, "")));
    }

    @ParameterizedTest(name = "OMP_NUM_THREADS=''{0}''")
    @ValueSource(strings = {"0", "-2", "two", "1.5"})
    void invalidVariableIsRejectedByName(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NativeThreads.choose(2, Map.of(NativeThreads.OMP_NUM_THREADS, value)));
        assertTrue(e.getMessage().contains("OMP_NUM_THREADS must be a positive integer, found '" + value + "'"),
                e.getMessage());
    }

    @Test
    void zeroCoresIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeThreads.choose(0));
        assertTrue(e.getMessage().contains("cores must be >= 1, found 0"), e.getMessage());
    }

    @Test
    void zeroThreadsIsRejectedBeforeAnythingChanges() {
        Split before = NativeThreads.current();
        assertThrows(IllegalArgumentException.class, () -> NativeThreads.apply(0));
        assertEquals(before, NativeThreads.current());
    }

    @ParameterizedTest(name = "apply {0} OpenMP + {1} BLAS")
    @CsvSource({"1, 2", "2, 1", "3, 3"})
    void applyIsWhatNd4jReports(int openMp, int blas) {
        Split before = NativeThreads.current();
        try {
            NativeThreads.apply(new Split(openMp, blas, Source.EXPLICIT));
            // read through ND4J's own getters, not NativeThreads.current()
            assertEquals(openMp, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
            assertEquals(blas, Nd4j.factory().blas().getMaxThreads());
        } finally {
            NativeThreads.apply(before);
        }
    }

    @Test
    void applyThreadsUsesTheLibraryRuleForThatManyCores() {
        Split before = NativeThreads.current();
        try {
            Split applied = NativeThreads.apply(3);
            assertEquals(1, applied.openMpThreads());
            assertEquals(3, applied.blasThreads());
        } finally {
            NativeThreads.apply(before);
        }
    }
}
