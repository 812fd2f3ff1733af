package org.dl4jisotropic.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.dl4jisotropic.core.runtime.NativeThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** {@code --threads} on train and bench, and {@code bench --threads-table}. */
class ThreadsOptionTest {

    @TempDir
    Path dir;

    private NativeThreads.Split before;

    /** The output and exit code of one invocation. */
    private static Invocation cli(String... args) {
        return Invocation.of(args);
    }

    @BeforeEach
    void remember() {
        before = NativeThreads.current();
    }

    @AfterEach
    void restore() {
        NativeThreads.apply(before);
    }

    @Test
    void trainAppliesTheThreadCount() {
        NativeThreads.apply(new NativeThreads.Split(2, 2, NativeThreads.Source.EXPLICIT));
        Invocation train = cli("train", "--data", "iris", "--hidden", "4", "--epochs", "1", "--threads", "1",
                "--out", dir.resolve("run").toString());

        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().startsWith("threads: 1 OpenMP + 1 BLAS threads"), train.out());
        // read through ND4J's own getters
        assertEquals(1, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
        assertEquals(1, Nd4j.factory().blas().getMaxThreads());
    }

    @Test
    void threadsBelowOneIsABadOptionAndNothingIsWritten() {
        Path out = dir.resolve("never");
        Invocation train = cli("train", "--data", "iris", "--threads", "0", "--out", out.toString());

        assertEquals(IsotropicCli.BAD_OPTION, train.exitCode(), train.out() + train.err());
        assertTrue(train.err().contains("--threads must be >= 1, found 0"), train.err());
        assertFalse(Files.exists(out), "the output folder must not be created");
    }

    @Test
    @SuppressWarnings("unchecked")
    void threadsTableHasOneRowPerSplitAndMarksTheLibrarysChoice() throws IOException {
        Path out = dir.resolve("threads.json");
        Invocation bench = cli("bench", "--threads-table", "--train-limit", "128", "--out", out.toString());

        assertEquals(0, bench.exitCode(), bench.err());
        Map<String, Object> results = new ObjectMapper().readValue(out.toFile(), Map.class);
        int cores = ((Number) results.get("cores")).intValue();
        List<Map<String, Object>> rows = (List<Map<String, Object>>) results.get("rows");
        assertEquals(cores == 1 ? 1 : 4, rows.size(), rows.toString());
        long marked = rows.stream().filter(r -> Boolean.TRUE.equals(r.get("libraryChoice"))).count();
        assertEquals(1, marked, rows.toString());
        for (Map<String, Object> row : rows) {
            for (String key : List.of("isotropicEpochSeconds", "tanhEpochSeconds")) {
                double seconds = ((Number) row.get(key)).doubleValue();
                assertTrue(seconds > 0 && Double.isFinite(seconds), key + " = " + seconds);
            }
        }
    }

    @Test
    void threadsTableRestoresTheSplitInForce() {
        NativeThreads.apply(new NativeThreads.Split(1, 1, NativeThreads.Source.EXPLICIT));
        Invocation bench = cli("bench", "--threads-table", "--threads", "1", "--train-limit", "128", "--out",
                dir.resolve("t.json").toString());

        assertEquals(0, bench.exitCode(), bench.err());
        assertEquals(1, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
        assertEquals(1, Nd4j.factory().blas().getMaxThreads());
    }
}
