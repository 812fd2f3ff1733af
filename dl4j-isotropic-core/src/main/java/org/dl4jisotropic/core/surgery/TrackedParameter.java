package org.dl4jisotropic.core.surgery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.dl4jisotropic.core.linalg.Scratch;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A 2-d parameter (in DL4J's {@code [in, out]} layout) together with the optimizer state that must follow it through
 * surgery: one array of the parameter's shape per state component, each with its {@link MomentKind}.
 *
 * <p>Neuron operations act either on columns (a layer's incoming weights, bias and psi: one column per neuron) or
 * on rows (the next layer's weights: one row per neuron). Every method replaces the arrays it changes with new
 * ones; arrays handed in are adopted, not copied.
 */
public final class TrackedParameter {

    private INDArray value;
    private final List<MomentKind> kinds;
    private final List<INDArray> moments;

    /**
     * Adopts a parameter and its state.
     *
     * @param value   the parameter, rank 2
     * @param kinds   kind of each state component
     * @param moments state components, each of the parameter's shape and dtype
     * @throws IllegalArgumentException if shapes, dtypes or counts disagree
     */
    public TrackedParameter(INDArray value, List<MomentKind> kinds, List<INDArray> moments) {
        this.value = Objects.requireNonNull(value, "value");
        if (value.rank() != 2) {
            throw new IllegalArgumentException("tracked parameter must be rank 2, found shape "
                    + Arrays.toString(value.shape()));
        }
        if (kinds.size() != moments.size()) {
            throw new IllegalArgumentException("need one kind per state component, found " + kinds.size()
                    + " kinds and " + moments.size() + " components");
        }
        for (INDArray m : moments) {
            if (!Arrays.equals(m.shape(), value.shape()) || m.dataType() != value.dataType()) {
                throw new IllegalArgumentException("state component must match the parameter " + describe(value)
                        + ", found " + describe(m));
            }
        }
        this.kinds = List.copyOf(kinds);
        this.moments = new ArrayList<>(moments);
    }

    /** A parameter with no optimizer state. */
    public static TrackedParameter stateless(INDArray value) {
        return new TrackedParameter(value, List.of(), List.of());
    }

    /**
     * Frees the native memory of the value and every state component now, rather than at the next garbage
     * collection (see {@link Scratch}). For working copies only: the parameter must not be used afterwards.
     */
    public void release() {
        Scratch.release(value);
        moments.forEach(Scratch::release);
    }

    /** The current value. */
    public INDArray value() {
        return value;
    }

    /** Replaces the value, keeping the state (for shifts such as psi += w* b*, which leave moments alone). */
    public void setValue(INDArray newValue) {
        if (!Arrays.equals(newValue.shape(), value.shape())) {
            throw new IllegalArgumentException("new value must have shape " + Arrays.toString(value.shape())
                    + ", found " + Arrays.toString(newValue.shape()));
        }
        this.value = newValue;
    }

    /** The state components' kinds. */
    public List<MomentKind> kinds() {
        return kinds;
    }

    /** The state components, in the order of {@link #kinds()}. */
    public List<INDArray> moments() {
        return List.copyOf(moments);
    }

    /** {@code P -> P R} for the value, with the matching transform of every state component. */
    public void rotateColumns(INDArray r) {
        value = value.mmul(r);
        INDArray squared = squaredIfNeeded(r);
        for (int i = 0; i < moments.size(); i++) {
            moments.set(i, transform(kinds.get(i), moments.get(i), r, squared, false));
        }
        Scratch.release(squared);
    }

    /** {@code P -> R^T P} for the value, with the matching transform of every state component. */
    public void rotateRows(INDArray r) {
        rotateRows(r, 1);
    }

    /**
     * {@code P -> (R (x) I_k)^T P}: rows in groups of {@code k}, group i belonging to neuron i, every group mixed by
     * R as one unit. Computed as {@code R^T P'} on {@code P' = P} read as {@code [rows / k, k * columns]} in 'c'
     * order, which puts each group on one row; state components likewise.
     *
     * @param r orthogonal {@code [rows / k, rows / k]}
     * @param k rows per group; &gt;= 1
     */
    public void rotateRows(INDArray r, long k) {
        value = rotateGroups(value, r, r, k, false);
        INDArray squared = squaredIfNeeded(r);
        for (int i = 0; i < moments.size(); i++) {
            INDArray m = moments.get(i);
            switch (kinds.get(i)) {
                case LINEAR:
                    moments.set(i, rotateGroups(m, r, r, k, false));
                    break;
                case SQUARED:
                    moments.set(i, rotateGroups(m, squared, r, k, false));
                    break;
                case MAGNITUDE:
                    moments.set(i, rotateGroups(m, squared, r, k, true));
                    break;
                default:
                    throw new IllegalStateException("unknown moment kind " + kinds.get(i));
            }
        }
        Scratch.release(squared);
    }

    private static INDArray rotateGroups(INDArray p, INDArray by, INDArray r, long k, boolean magnitude) {
        long groups = p.rows() / k;
        if (groups * k != p.rows() || r.rows() != groups) {
            throw new IllegalArgumentException("rotating " + p.rows() + " rows in groups of " + k + " needs a ["
                    + (p.rows() / k) + ", " + (p.rows() / k) + "] rotation, found " + Arrays.toString(r.shape()));
        }
        INDArray grouped = p.reshape('c', groups, k * p.columns());
        INDArray input = magnitude ? grouped.mul(grouped) : grouped;
        INDArray rotated = by.transpose().mmul(input);
        if (magnitude) {
            Transforms.sqrt(rotated, false);
            Scratch.release(input);
        }
        return rotated.reshape('c', p.rows(), p.columns());
    }

    /** {@code r * r} elementwise, or null when no state component is SQUARED or MAGNITUDE. */
    private INDArray squaredIfNeeded(INDArray r) {
        return kinds.stream().anyMatch(k -> k != MomentKind.LINEAR) ? r.mul(r) : null;
    }

    private static INDArray transform(MomentKind kind, INDArray m, INDArray r, INDArray squared, boolean rows) {
        switch (kind) {
            case LINEAR:
                return rows ? r.transpose().mmul(m) : m.mmul(r);
            case SQUARED:
                return rows ? squared.transpose().mmul(m) : m.mmul(squared);
            case MAGNITUDE: {
                INDArray m2 = m.mul(m);
                INDArray result = Transforms.sqrt(rows ? squared.transpose().mmul(m2) : m2.mmul(squared), false);
                Scratch.release(m2);
                return result;
            }
            default:
                throw new IllegalStateException("unknown moment kind " + kind);
        }
    }

    /**
     * Appends columns. LINEAR state gets zeros; SQUARED and MAGNITUDE state get the mean of the existing entries of
     * the same component (so that an adaptive optimizer's first steps on the new entries stay near its learning
     * rate instead of jumping to several times it).
     *
     * @param columns the new values, {@code [rows, k]}
     */
    public void appendColumns(INDArray columns) {
        value = Nd4j.hstack(value, columns.castTo(value.dataType()));
        for (int i = 0; i < moments.size(); i++) {
            INDArray m = moments.get(i);
            moments.set(i, Nd4j.hstack(m, newState(kinds.get(i), m, columns.shape())));
        }
    }

    /** Appends rows; state as for {@link #appendColumns}. */
    public void appendRows(INDArray rows) {
        value = Nd4j.vstack(value, rows.castTo(value.dataType()));
        for (int i = 0; i < moments.size(); i++) {
            INDArray m = moments.get(i);
            moments.set(i, Nd4j.vstack(m, newState(kinds.get(i), m, rows.shape())));
        }
    }

    private static INDArray newState(MomentKind kind, INDArray existing, long[] shape) {
        double fill = kind == MomentKind.LINEAR || existing.length() == 0 ? 0.0 : existing.meanNumber().doubleValue();
        return Nd4j.valueArrayOf(shape, fill, existing.dataType());
    }

    /** Keeps only the first {@code count} columns of the value and of every state component. */
    public void keepColumns(long count) {
        value = value.get(NDArrayIndex.all(), NDArrayIndex.interval(0, count)).dup();
        moments.replaceAll(m -> m.get(NDArrayIndex.all(), NDArrayIndex.interval(0, count)).dup());
    }

    /** Keeps only the first {@code count} rows of the value and of every state component. */
    public void keepRows(long count) {
        value = value.get(NDArrayIndex.interval(0, count), NDArrayIndex.all()).dup();
        moments.replaceAll(m -> m.get(NDArrayIndex.interval(0, count), NDArrayIndex.all()).dup());
    }

    private static String describe(INDArray x) {
        return Arrays.toString(x.shape()) + " " + x.dataType();
    }
}
