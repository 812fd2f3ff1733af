package org.dl4jisotropic.examples.cli;

import org.dl4jisotropic.core.runtime.NativeThreads;

import picocli.CommandLine.Option;

/**
 * The {@code --threads} option of the commands that train or time networks: applies
 * {@link NativeThreads#apply(int)} for the given count, or {@link NativeThreads#applyDefaults()} without it.
 */
final class ThreadsOption {

    @Option(names = "--threads", paramLabel = "N", description = "Cores for ND4J's native code: 1 OpenMP thread and "
            + "N BLAS threads (at most 8), whatever the environment says. Default: OMP_NUM_THREADS / "
            + "OPENBLAS_NUM_THREADS if set, else every core (at most 8).")
    private Integer threads;

    /**
     * Applies the option before any array work.
     *
     * @return the split now in force, for the run's log
     * @throws IllegalArgumentException if {@code --threads} is below 1, or an environment variable is not a positive
     *     integer
     */
    NativeThreads.Split apply() {
        if (threads == null) {
            return NativeThreads.applyDefaults();
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, found " + threads);
        }
        return NativeThreads.apply(threads);
    }
}
