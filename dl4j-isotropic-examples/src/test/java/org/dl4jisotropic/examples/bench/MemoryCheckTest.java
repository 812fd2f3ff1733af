package org.dl4jisotropic.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class MemoryCheckTest {

    private static final long MB = 1_000_000L;

    /**
     * A leak of one copy of the parameters and Adam state per round (about 1.7 MB here) would add about 83 MB over
     * the 50 rounds compared; the resident bound (48 MB, so leaks from about 1 MB per round) leaves room for the
     * native allocator's jitter (up to about 30 MB seen here), the heap bound for GC jitter.
     */
    @Test
    void growShrinkRoundsDoNotAccumulateHeapOrNativeMemory() {
        List<MemoryCheck.Sample> samples = new MemoryCheck(256, 512, 8).run(100, 25, null);

        assertEquals(5, samples.size());
        long earlyResident = Math.max(samples.get(1).residentBytes(), samples.get(2).residentBytes());
        long lateResident = Math.min(samples.get(3).residentBytes(), samples.get(4).residentBytes());
        long earlyHeap = Math.max(samples.get(1).heapBytes(), samples.get(2).heapBytes());
        long lateHeap = Math.min(samples.get(3).heapBytes(), samples.get(4).heapBytes());
        assertTrue(lateResident - earlyResident < 48 * MB, () -> "resident memory grew by "
                + (lateResident - earlyResident) / MB + " MB over 50 rounds: " + samples);
        assertTrue(lateHeap - earlyHeap < 8 * MB, () -> "heap grew by " + (lateHeap - earlyHeap) / MB
                + " MB over 50 rounds: " + samples);
    }

    @Test
    void aStepAsWideAsTheLayerIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MemoryCheck(4, 8, 8));
        assertTrue(e.getMessage().contains("step 8"), e.getMessage());
    }
}
