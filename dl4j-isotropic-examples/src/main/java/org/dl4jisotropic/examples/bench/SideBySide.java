package org.dl4jisotropic.examples.bench;

import java.util.Arrays;

/**
 * Times two tasks side by side in one process: warm-up, then rounds that alternate the two tasks (so drifting
 * machine load affects both alike), reporting the median time per call of each and their ratio.
 */
public final class SideBySide {

    private SideBySide() {
    }

    /**
     * The measured medians.
     *
     * @param baselineNanos  median nanoseconds per call of the baseline
     * @param candidateNanos median nanoseconds per call of the candidate
     */
    public record Timing(double baselineNanos, double candidateNanos) {
        /** candidate / baseline. */
        public double ratio() {
            return candidateNanos / baselineNanos;
        }
    }

    /**
     * Measures.
     *
     * @param baseline      the reference task
     * @param candidate     the task compared to it
     * @param callsPerRound calls of each task per round
     * @param rounds        timed rounds (after as many warm-up rounds)
     */
    public static Timing measure(Runnable baseline, Runnable candidate, int callsPerRound, int rounds) {
        double[] base = new double[rounds];
        double[] cand = new double[rounds];
        for (int round = -rounds; round < rounds; round++) {
            double b = time(baseline, callsPerRound);
            double c = time(candidate, callsPerRound);
            if (round >= 0) {
                base[round] = b;
                cand[round] = c;
            }
        }
        return new Timing(median(base), median(cand));
    }

    private static double time(Runnable task, int calls) {
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            task.run();
        }
        return (System.nanoTime() - start) / (double) calls;
    }

    /** The median of some values (the upper one of an even count). */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
