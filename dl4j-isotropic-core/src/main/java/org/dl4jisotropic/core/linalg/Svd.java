package org.dl4jisotropic.core.linalg;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checked singular value decompositions: every result is measured by {@link SvdCheck} before anything uses it, and a
 * native result that fails is replaced by the JVM's.
 *
 * <pre>
 *   A = U diag(S) V^T,     U [m, m] and V [n, n] orthogonal,     S [min(m, n)] descending
 * </pre>
 *
 * <p>Why: ND4J 1.0.0-M2.1 ships OpenBLAS 0.3.19, whose LAPACK returns wrong singular values and non-orthogonal
 * factors on some AVX-512 CPUs, nondeterministically ({@code ../shared/design/dl4j-notes.md} section 11). A
 * "rotation" built from such a U changes the network's function. So the native backend ({@link LapackSvd}) is tried
 * first, its result is checked (orthogonality of U and V to {@value SvdCheck#ORTHOGONALITY_TOLERANCE}, reconstruction
 * to {@value SvdCheck#RESIDUAL_TOLERANCE} of the largest singular value), and if it fails, {@link JvmSvd} takes over,
 * its result checked the same way. The first fallback in a JVM logs one warning naming the fault and the workaround.
 * No setting is needed, on CPU or CUDA.
 *
 * <p>The work is always done in DOUBLE on a fresh 'f'-ordered copy, also for FLOAT inputs, so rotations built from U
 * and V are orthogonal to double precision before any cast, and the caller's array is never touched.
 */
public final class Svd {

    /** What happens when the native decomposition fails its check. */
    public enum Fallback {
        /** Use the JVM decomposition instead (the default). */
        JVM,
        /**
         * Return the failing result as it is. Only for tests and diagnosis: surgery then relies on its last line of
         * defence, the orthogonality check at the point where a rotation is installed.
         */
        DISABLED
    }

    /**
     * A decomposition with the evidence behind it.
     *
     * @param result       the decomposition that was returned
     * @param backend      the name of the backend that computed {@code result}
     * @param nativeCheck  the check of the native backend's result (null if the backend threw)
     * @param fellBack     whether the native result failed and {@code result} is the JVM's
     * @param resultCheck  the check of {@code result}: {@code nativeCheck}, or the JVM result's after a fallback
     */
    public record Checked(SvdResult result, String backend, SvdCheck nativeCheck, boolean fellBack,
                          SvdCheck resultCheck) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Svd.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final AtomicLong FALLBACKS = new AtomicLong();

    private static volatile SvdBackend nativeBackend = LapackSvd.INSTANCE;
    private static volatile Fallback fallback = Fallback.JVM;

    private Svd() {
    }

    /**
     * Decomposes a matrix.
     *
     * @param a matrix {@code [m, n]}, FLOAT or DOUBLE, all finite. Not modified.
     * @return U, S and V^T in DOUBLE, checked
     * @throws IllegalArgumentException if a is not a finite, non-empty floating-point matrix
     * @throws IllegalStateException    if neither backend gives a decomposition that passes the check
     */
    public static SvdResult decompose(INDArray a) {
        return decomposeChecked(a).result();
    }

    /**
     * The left singular vectors and singular values (what left-partial diagonalization needs), from a checked
     * decomposition that computes only the first min(m, n) right singular vectors.
     *
     * @param a matrix {@code [m, n]}, FLOAT or DOUBLE, all finite. Not modified.
     * @return U {@code [m, m]} and S {@code [min(m, n)]} descending, in DOUBLE
     * @throws IllegalArgumentException as for {@link #decompose}
     * @throws IllegalStateException    as for {@link #decompose}
     */
    public static LeftSvd decomposeLeft(INDArray a) {
        SvdResult svd = decomposeChecked(a, false).result();
        Scratch.release(svd.vt());
        return new LeftSvd(svd.u(), svd.singularValues());
    }

    /**
     * The singular values only, from a checked decomposition (as for {@link #decomposeLeft}).
     *
     * @param a matrix {@code [m, n]}, FLOAT or DOUBLE, all finite. Not modified.
     * @return {@code [min(m, n)]} descending, DOUBLE
     * @throws IllegalArgumentException as for {@link #decompose}
     * @throws IllegalStateException    as for {@link #decompose}
     */
    public static INDArray singularValues(INDArray a) {
        SvdResult svd = decomposeChecked(a, false).result();
        Scratch.release(svd.u(), svd.vt());
        return svd.singularValues();
    }

    /**
     * Decomposes a matrix and says how: which backend's result is returned, and what the native one measured.
     *
     * @param a matrix {@code [m, n]}, FLOAT or DOUBLE, all finite. Not modified.
     * @throws IllegalArgumentException as for {@link #decompose}
     * @throws IllegalStateException    as for {@link #decompose}
     */
    public static Checked decomposeChecked(INDArray a) {
        return decomposeChecked(a, true);
    }

    private static Checked decomposeChecked(INDArray a, boolean fullV) {
        INDArray original = validatedCopy(a);
        SvdBackend backend = nativeBackend;
        SvdResult result = null;
        SvdCheck check = null;
        RuntimeException failure = null;
        try {
            result = backend.decompose(original.dup('f'), fullV);
            check = SvdCheck.of(original, result);
        } catch (RuntimeException e) {
            failure = e;
        }
        if (check != null && (check.passed() || fallback == Fallback.DISABLED)) {
            Scratch.release(original);
            return new Checked(result, backend.name(), check, false, check);
        }
        if (fallback == Fallback.DISABLED) {
            throw new IllegalStateException(backend.name() + " failed on a " + shape(a) + " matrix", failure);
        }
        FALLBACKS.incrementAndGet();
        warnOnce(backend, a, check, failure);
        if (result != null) {
            Scratch.release(result.u(), result.vt());
        }
        SvdResult jvm = JvmSvd.INSTANCE.decompose(original.dup('f'), fullV);
        SvdCheck jvmCheck = SvdCheck.of(original, jvm);
        Scratch.release(original);
        if (!jvmCheck.passed()) {
            throw new IllegalStateException("no correct SVD of a " + shape(a) + " matrix: " + backend.name() + " gave "
                    + (check == null ? failure : check.describe()) + "; " + JvmSvd.INSTANCE.name() + " gave "
                    + jvmCheck.describe());
        }
        return new Checked(jvm, JvmSvd.INSTANCE.name(), check, true, jvmCheck);
    }

    /** How many decompositions in this JVM fell back to the JVM backend. */
    public static long fallbackCount() {
        return FALLBACKS.get();
    }

    /**
     * Replaces the native backend and the fallback rule, process-wide, until the returned handle is closed. For tests
     * (to inject a faulty backend on any machine), benchmarks and diagnosis; not needed in normal use.
     *
     * @param backend  the backend to try first
     * @param whenWrong what to do when its result fails the check
     * @return a handle whose {@code close()} restores the previous setting
     */
    public static Restore useBackend(SvdBackend backend, Fallback whenWrong) {
        SvdBackend previousBackend = nativeBackend;
        Fallback previousFallback = fallback;
        nativeBackend = Objects.requireNonNull(backend, "backend");
        fallback = Objects.requireNonNull(whenWrong, "whenWrong");
        return () -> {
            nativeBackend = previousBackend;
            fallback = previousFallback;
        };
    }

    /** Restores a previous setting of {@link #useBackend}. */
    @FunctionalInterface
    public interface Restore extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * U and S of a matrix, without V.
     *
     * @param u              {@code [m, m]}, orthogonal
     * @param singularValues {@code [min(m, n)]}, descending
     */
    public record LeftSvd(INDArray u, INDArray singularValues) {
    }

    private static void warnOnce(SvdBackend backend, INDArray a, SvdCheck check, RuntimeException failure) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("{} returned a wrong SVD of a {} matrix ({}); using {} instead, which is correct but slower. "
                    + "On AVX-512 CPUs this is a known fault of the OpenBLAS 0.3.19 that ND4J 1.0.0-M2.1 ships: "
                    + "start the JVM with OPENBLAS_CORETYPE=Haswell in the environment to get the fast native path "
                    + "back. This warning is shown once per JVM.", backend.name(), shape(a),
                    check == null ? failure : check.describe(), JvmSvd.INSTANCE.name());
        }
    }

    private static String shape(INDArray a) {
        return a.rows() + " x " + a.columns();
    }

    /** Checks the input and returns a fresh 'f'-ordered DOUBLE copy. */
    private static INDArray validatedCopy(INDArray a) {
        Objects.requireNonNull(a, "matrix");
        if (a.rank() != 2 || a.rows() < 1 || a.columns() < 1) {
            throw new IllegalArgumentException("SVD input must be a non-empty matrix [m, n], found shape "
                    + Arrays.toString(a.shape()));
        }
        if (!a.dataType().isFPType()) {
            throw new IllegalArgumentException("SVD input must be FLOAT or DOUBLE, found " + a.dataType());
        }
        INDArray work = Nd4j.create(DataType.DOUBLE, a.shape(), 'f').assign(a);
        // The sum is finite unless an entry is NaN or infinite (or, for double entries near the top of the range,
        // the sum overflows; the exact checks settle that rare case).
        if (!Double.isFinite(work.sumNumber().doubleValue()) && (work.isNaN().any() || work.isInfinite().any())) {
            throw new IllegalArgumentException("SVD input must be finite, found NaN or infinity in a matrix of shape "
                    + Arrays.toString(a.shape()));
        }
        return work;
    }
}
