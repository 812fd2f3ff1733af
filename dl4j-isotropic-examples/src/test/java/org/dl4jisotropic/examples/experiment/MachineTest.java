package org.dl4jisotropic.examples.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The machine line of the results: what {@code grep -o 'avx512[a-z]*' /proc/cpuinfo | sort -u} prints. */
class MachineTest {

    private static final String TWO_CORES = String.join("\n",
            "processor\t: 0",
            "model name\t: AMD EPYC 9R14",
            "flags\t\t: fpu sse2 avx2 avx512f avx512dq avx512_bf16 avx512bw avx512vl",
            "",
            "processor\t: 1",
            "model name\t: AMD EPYC 9R14",
            "flags\t\t: fpu sse2 avx2 avx512f avx512dq avx512_bf16 avx512bw avx512vl",
            "");

    @Test
    void listsEachAvx512FlagOnceSortedAsGrepAndSortWould() {
        Machine machine = Machine.of(TWO_CORES, 2, Instant.parse("2026-12-02T13:00:00.123Z"));
        // grep -o 'avx512[a-z]*' stops at the underscore of avx512_bf16, printing avx512 (as on the real machine).
        assertEquals(List.of("avx512", "avx512bw", "avx512dq", "avx512f", "avx512vl"), machine.avx512());
        assertEquals("AMD EPYC 9R14", machine.cpuModel());
        assertEquals("2026-12-02T13:00:00Z", machine.date());
        assertEquals(2, machine.cores());
    }

    @Test
    void aMachineWithoutCpuInfoIsUnknownWithoutFlags() {
        Machine machine = Machine.of("", 1, Instant.EPOCH);
        assertEquals("unknown", machine.cpuModel());
        assertEquals(List.of(), machine.avx512());
    }
}
