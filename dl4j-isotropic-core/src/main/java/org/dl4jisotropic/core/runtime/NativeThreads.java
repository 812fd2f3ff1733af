package org.dl4jisotropic.core.runtime;

import java.util.Map;
import java.util.Objects;

import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Chooses and applies the number of native threads ND4J uses: libnd4j's OpenMP pool (elementwise ops, reductions,
 * broadcasts) and the BLAS library's pool (matrix products). One call at start-up is enough:
 * <pre>
 *   NativeThreads.applyDefaults();      // the library's choice, or the environment variables if set
 *   NativeThreads.apply(4);             // or: plan for 4 cores, whatever the environment says
 * </pre>
 *
 * <p>Why: ND4J 1.0.0-M2.1 starts both pools with one thread per core. Their idle threads spin-wait after each op,
 * and the two pools take turns (a matrix product, then elementwise ops), so on a small machine the spinning threads
 * of one pool steal the cores the other pool needs: a 784-256-256-10 MLP trained 2.5 times slower on 2 cores than
 * with one OpenMP thread. The ops of such networks are small (a [128, 256] elementwise op is 32,768 values, a few
 * microseconds on one core), so splitting them across OpenMP threads gains less than the threads cost; only the
 * matrix products carry enough work to share. The library's rule ({@link #choose(int)}) therefore gives libnd4j one
 * OpenMP thread and BLAS every core, up to {@value #MAX_BLAS_THREADS}: the largest product of such a network at batch
 * 128 (128 x 784 x 256, 51 MFLOP) leaves each of 8 threads about 6 MFLOP, a fraction of a millisecond; more threads
 * would mostly synchronize (OpenBLAS 0.3.19, which ND4J 1.0.0-M2.1 bundles, uses every thread it has for any product
 * above 262,144 multiply-adds). Wider layers or larger batches on a many-core machine can use more: pass a
 * {@link Split} to {@link #apply(Split)}.
 *
 * <p>Precedence, highest first: an explicit thread count ({@link #apply(int)}, the CLI's {@code --threads}); then
 * the environment variables {@value #OMP_NUM_THREADS} (libnd4j's pool, and BLAS too unless
 * {@value #OPENBLAS_NUM_THREADS} is set, as ND4J itself does at start-up) and {@value #OPENBLAS_NUM_THREADS} (BLAS);
 * then the library's rule. Environment variables alone act only before ND4J's native library loads; applying them
 * here makes them hold whatever ND4J did at load time.
 *
 * <p>libnd4j's own {@code Environment.setMaxThreads} is a no-op in 1.0.0-M2.1, so the OpenMP count is set through
 * the native ops' {@code setOmpNumThreads}, and the BLAS count through ND4J's {@link Blas#setMaxThreads}.
 */
public final class NativeThreads {

    /** The most BLAS threads the library's rule gives (see the class comment). */
    public static final int MAX_BLAS_THREADS = 8;

    /** Environment variable of the OpenMP thread count. */
    public static final String OMP_NUM_THREADS = "OMP_NUM_THREADS";
    /** Environment variable of OpenBLAS's thread count. */
    public static final String OPENBLAS_NUM_THREADS = "OPENBLAS_NUM_THREADS";

    private NativeThreads() {
    }

    /** Where a thread split came from. */
    public enum Source {
        /** The library's rule for the machine's cores ({@link #choose(int)}). */
        LIBRARY,
        /** At least one of the environment variables. */
        ENVIRONMENT,
        /** An explicit thread count ({@link #apply(int)}). */
        EXPLICIT,
        /** Read back from ND4J ({@link #current()}). */
        ND4J
    }

    /**
     * A split of native threads.
     *
     * @param openMpThreads libnd4j's OpenMP threads; &gt;= 1
     * @param blasThreads   the BLAS library's threads; &gt;= 1
     * @param source        where the split came from
     */
    public record Split(int openMpThreads, int blasThreads, Source source) {
        /** Rejects counts below 1 and a missing source. */
        public Split {
            if (openMpThreads < 1 || blasThreads < 1) {
                throw new IllegalArgumentException("thread counts must be >= 1, found openMpThreads="
                        + openMpThreads + ", blasThreads=" + blasThreads);
            }
            Objects.requireNonNull(source, "source");
        }

        @Override
        public String toString() {
            return openMpThreads + " OpenMP + " + blasThreads + " BLAS threads (" + source.name().toLowerCase()
                    + ")";
        }
    }

    /**
     * The library's rule for a machine (or a share of one) with the given number of cores: one OpenMP thread,
     * BLAS on every core up to {@value #MAX_BLAS_THREADS}.
     *
     * @param cores cores to use; &gt;= 1
     * @return the split, with source {@link Source#LIBRARY}
     * @throws IllegalArgumentException if {@code cores < 1}
     */
    public static Split choose(int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be >= 1, found " + cores);
        }
        return new Split(1, Math.min(cores, MAX_BLAS_THREADS), Source.LIBRARY);
    }

    /**
     * The split for a machine with the given cores and environment variables (see the class comment for the
     * precedence). A pure function: nothing is read from or written to the process.
     *
     * @param cores       cores to use when no variable is set; &gt;= 1
     * @param environment the environment variables, e.g. {@code System.getenv()}
     * @return the split, with source {@link Source#ENVIRONMENT} when a variable was used, else {@link Source#LIBRARY}
     * @throws IllegalArgumentException if {@code cores < 1} or a variable is set to anything but a positive integer
     */
    public static Split choose(int cores, Map<String, String> environment) {
        Split library = choose(cores);
        Integer openMp = positiveOrNull(environment, OMP_NUM_THREADS);
        Integer blas = positiveOrNull(environment, OPENBLAS_NUM_THREADS);
        if (openMp == null && blas == null) {
            return library;
        }
        int blasThreads = blas != null ? blas : openMp;
        return new Split(openMp != null ? openMp : library.openMpThreads(), blasThreads, Source.ENVIRONMENT);
    }

    /**
     * Applies {@link #choose(int, Map)} for this JVM's available processors and environment.
     *
     * @return the split now in force, as ND4J reports it
     * @throws IllegalArgumentException if an environment variable is not a positive integer (nothing is changed)
     */
    public static Split applyDefaults() {
        return apply(choose(Runtime.getRuntime().availableProcessors(), System.getenv()));
    }

    /**
     * Applies the library's rule for {@code threads} cores, ignoring the environment variables.
     *
     * @param threads cores to use; &gt;= 1
     * @return the split now in force, as ND4J reports it
     * @throws IllegalArgumentException if {@code threads < 1} (nothing is changed)
     */
    public static Split apply(int threads) {
        Split rule = choose(threads);
        return apply(new Split(rule.openMpThreads(), rule.blasThreads(), Source.EXPLICIT));
    }

    /**
     * Applies a split.
     *
     * @param split the thread counts
     * @return the split now in force, as ND4J reports it
     */
    public static Split apply(Split split) {
        Objects.requireNonNull(split, "split");
        nativeOps().setOmpNumThreads(split.openMpThreads());
        Nd4j.factory().blas().setMaxThreads(split.blasThreads());
        return current();
    }

    /** The split in force, read back from ND4J's native ops and BLAS wrapper. */
    public static Split current() {
        return new Split(nativeOps().ompGetMaxThreads(), Nd4j.factory().blas().getMaxThreads(), Source.ND4J);
    }

    /** The native ops, after ND4J's backend has loaded (the holder fails if it is touched first). */
    private static NativeOps nativeOps() {
        Nd4j.getBackend();
        return NativeOpsHolder.getInstance().getDeviceNativeOps();
    }

    private static Integer positiveOrNull(Map<String, String> environment, String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below, with the variable's name
        }
        throw new IllegalArgumentException(name + " must be a positive integer, found '" + value + "'");
    }
}
