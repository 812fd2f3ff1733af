package org.dl4jisotropic.core.activation;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward pass and vector-Jacobian product of an isotropic activation on ND4J arrays.
 *
 * <pre>
 *   q     = ||a||^2 + o              (norm over the feature axis, one value per example or position)
 *   s     = sigma(sqrt(q)) / sqrt(q)  (see {@link IsotropicProfile})
 *   f(a)  = s a
 *   dL/da = s g + 2 s'(q) (a . g + gs) a
 *   dL/do = sum over rows of s'(q) (a . g + gs)
 * </pre>
 * where {@code g = dL/df} and {@code gs = dL/ds} is the upstream gradient of the emitted scale (zero when the
 * scale is not used downstream). In plain words: the component of g along a is scaled by the slope of sigma, every
 * orthogonal component by s. The Jacobian is never formed.
 *
 * <p>Invariants: {@code f(R a) = R f(a)} for every orthogonal R acting on the feature axis; the output is finite
 * for every finite input (including a = 0, o = 0); inputs are modified only by the methods named {@code ...InPlace},
 * and by them only on success.
 *
 * @implNote The large arrays are handled by ND4J ops in the input's dtype, with no temporary of the input's size in
 *     the in-place methods: the forward is one norm reduction and one broadcast row product; the backward one norm
 *     reduction, one row-wise dot product and three in-place passes ({@code a <- (a (k/s) + g) s}). The per-row
 *     scalars q, s and
 *     s'(q), one per example, are computed on the host in double with the profiles' series branches near q = 0 and
 *     copied back: fewer, larger ND4J ops run faster than many tiny ones, and the coefficients are correctly rounded
 *     in every dtype. The copy is a device-host transfer on CUDA, of one value per row. When a squared norm overflows the input
 *     dtype (float rows with norm above about 1.8e19) the call is repeated in double and the result cast back;
 *     double rows whose squared norm overflows double are rejected. Only stock ND4J ops are used, so the kernel
 *     runs unchanged on CPU and CUDA.
 *     Reference: G. Bird, arXiv:2602.23405.
 */
public final class IsotropicKernel {

    private final IsotropicProfile profile;
    private final FeatureAxis axis;

    /**
     * Creates a kernel for one profile and feature axis.
     *
     * @param profile the radial profile sigma
     * @param axis    which dimension holds the layer vector
     */
    public IsotropicKernel(IsotropicProfile profile, FeatureAxis axis) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.axis = Objects.requireNonNull(axis, "axis");
    }

    /** The radial profile. */
    public IsotropicProfile profile() {
        return profile;
    }

    /** The feature axis. */
    public FeatureAxis axis() {
        return axis;
    }

    /**
     * Applies the activation.
     *
     * @param a pre-activations, rank &gt;= 2, FLOAT, DOUBLE or HALF, all finite. Not modified.
     * @param o squared intrinsic length; finite and &gt;= 0
     * @return the output {@code f(a)} (new array, shape and dtype of {@code a}) and the per-row scale s
     *     (shape of {@code a} with the feature axis of size 1)
     * @throws IllegalArgumentException if the rank, dtype or {@code o} is invalid, {@code a} holds NaN or
     *     infinity, or a double row's squared norm overflows
     */
    public IsotropicForward forward(INDArray a, double o) {
        int dim = validateInput(a, o);
        Optional<INDArray> s = rowScales(a, dim, o);
        if (s.isEmpty()) {
            return widenedForward(a, o);
        }
        return new IsotropicForward(a.mul(s.get()), s.get());   // broadcast over the feature axis
    }

    /**
     * Applies the activation in place, as DL4J's {@code IActivation} contract asks: {@code a} is overwritten with
     * {@code f(a)}.
     *
     * @param a pre-activations, as for {@link #forward}. Modified.
     * @param o squared intrinsic length; finite and &gt;= 0
     * @return {@code a}, now holding {@code f(a)}
     * @throws IllegalArgumentException as for {@link #forward}; {@code a} is then unchanged
     */
    public INDArray forwardInPlace(INDArray a, double o) {
        int dim = validateInput(a, o);
        Optional<INDArray> s = rowScales(a, dim, o);
        if (s.isEmpty()) {
            return a.assign(widenedForward(a, o).output());
        }
        return a.muli(s.get());
    }

    /**
     * The per-row scales s of a validated input, or empty when a squared norm overflows the input's dtype.
     *
     * @throws IllegalArgumentException if the input holds NaN or infinity
     */
    private Optional<INDArray> rowScales(INDArray a, int dim, double o) {
        INDArray norm = a.norm2(true, dim);
        double[] q = squaredNorms(norm, o);
        if (q == null) {
            rejectNonFinite(a, "pre-activation input");
            return Optional.empty();
        }
        return Optional.of(perRow(scales(q), norm, a.dataType()));
    }

    /**
     * Vector-Jacobian product when only the activation output is used downstream ({@code gs = 0}).
     *
     * @param a pre-activations, as for {@link #forward}. Not modified.
     * @param g upstream gradient {@code dL/df}, same shape and dtype as {@code a}, all finite. Not modified.
     * @param o squared intrinsic length; finite and &gt;= 0
     * @return {@code dL/da} and {@code dL/do}
     * @throws IllegalArgumentException as for {@link #forward}, or if {@code g} has another shape or dtype or
     *     holds NaN or infinity
     */
    public IsotropicGradient backward(INDArray a, INDArray g, double o) {
        return backward(a, g, null, o);
    }

    /**
     * Vector-Jacobian product when the scale s is also used downstream (the psi linear correction).
     *
     * @param a  pre-activations, as for {@link #forward}. Not modified.
     * @param g  upstream gradient {@code dL/df}, same shape and dtype as {@code a}. Not modified.
     * @param gs upstream gradient {@code dL/ds}, shape of the scale returned by {@link #forward}, same dtype;
     *           or {@code null} for zero. Not modified.
     * @param o  squared intrinsic length; finite and &gt;= 0
     * @return {@code dL/da} and {@code dL/do}
     * @throws IllegalArgumentException if a shape, dtype or value is invalid (see {@link #backward(INDArray,
     *     INDArray, double)})
     */
    public IsotropicGradient backward(INDArray a, INDArray g, INDArray gs, double o) {
        return backwardInPlace(Objects.requireNonNull(a, "input").dup(), g, gs, o);
    }

    /**
     * Vector-Jacobian product written over the pre-activations, as DL4J's {@code IActivation.backprop} contract
     * allows: {@code a} is overwritten with {@code dL/da}.
     *
     * @param a  pre-activations, as for {@link #forward}. Overwritten with {@code dL/da}.
     * @param g  upstream gradient {@code dL/df}, same shape and dtype as {@code a}. Not modified.
     * @param gs upstream gradient {@code dL/ds}, or {@code null} for zero (see {@link #backward(INDArray, INDArray,
     *           INDArray, double)}). Not modified.
     * @param o  squared intrinsic length; finite and &gt;= 0
     * @return {@code dL/da} (the array {@code a}) and {@code dL/do}
     * @throws IllegalArgumentException as for {@link #backward(INDArray, INDArray, INDArray, double)}; {@code a} is
     *     then unchanged
     */
    public IsotropicGradient backwardInPlace(INDArray a, INDArray g, INDArray gs, double o) {
        int dim = validateInput(a, o);
        Objects.requireNonNull(g, "upstream gradient");
        if (!Arrays.equals(a.shape(), g.shape()) || a.dataType() != g.dataType()) {
            throw new IllegalArgumentException("upstream gradient must match the input's shape and dtype "
                    + describe(a) + ", found " + describe(g));
        }
        INDArray norm = a.norm2(true, dim);
        if (gs != null && (!Arrays.equals(norm.shape(), gs.shape()) || gs.dataType() != a.dataType())) {
            throw new IllegalArgumentException("scale gradient must have shape and dtype " + describe(norm)
                    + ", found " + describe(gs));
        }
        // one fused reduction for the row-wise dot products a . g
        double[] dot = hostValues(Nd4j.getExecutioner().exec(new Dot(a, g, dim)));
        if (gs != null) {
            double[] scaleGradient = hostValues(gs);
            for (int i = 0; i < dot.length; i++) {
                dot[i] += scaleGradient[i];
            }
        }
        double[] q = squaredNorms(norm, o);
        if (q == null || !allFinite(dot)) {
            rejectNonFinite(a, "pre-activation input");
            rejectNonFinite(g, "upstream gradient");
            if (gs != null) {
                rejectNonFinite(gs, "scale gradient");
            }
            IsotropicGradient wide = widenedBackward(a, g, gs, o);
            return new IsotropicGradient(a.assign(wide.input()), wide.intrinsicLength());
        }
        double[] s = new double[q.length];
        double[] k = new double[q.length];
        double intrinsicLengthGradient = 0.0;
        for (int i = 0; i < q.length; i++) {
            double slope = profile.slope(q[i]);
            s[i] = profile.scale(q[i]);
            k[i] = 2.0 * slope * dot[i];
            intrinsicLengthGradient += slope * dot[i];
        }
        return new IsotropicGradient(combineRows(a, g, s, k, norm), intrinsicLengthGradient);
    }

    /**
     * Overwrites {@code a} with {@code s g + k a}, row by row. When every s is positive this is
     * {@code s (g + (k / s) a)}: three in-place passes and no temporary array of the input's size. Otherwise (a
     * profile whose scale vanishes, such as the shifted ReLU below its threshold) one temporary holds {@code s g}.
     */
    private static INDArray combineRows(INDArray a, INDArray g, double[] s, double[] k, INDArray like) {
        DataType type = a.dataType();
        double[] ratio = new double[s.length];
        // k / s can be large where s is small; HALF's range is too narrow for it, so HALF always takes the second form
        double largest = type == DataType.DOUBLE ? Double.MAX_VALUE : type == DataType.FLOAT ? Float.MAX_VALUE : 0.0;
        boolean fused = true;
        for (int i = 0; i < s.length && fused; i++) {
            ratio[i] = k[i] / s[i];
            fused = s[i] > 0.0 && Math.abs(ratio[i]) < largest;
        }
        if (fused) {
            return a.muli(perRow(ratio, like, type)).addi(g).muli(perRow(s, like, type));
        }
        return a.muli(perRow(k, like, type)).addi(g.mul(perRow(s, like, type)));
    }

    /** {@code ||a||^2 + o} per row on the host, or null if any is not finite (overflow or NaN/infinite input). */
    private static double[] squaredNorms(INDArray norm, double o) {
        double[] q = hostValues(norm);
        for (int i = 0; i < q.length; i++) {
            q[i] = q[i] * q[i] + o;
        }
        return allFinite(q) ? q : null;
    }

    /** The values of a small per-row array, in double, on the host. */
    private static double[] hostValues(INDArray perRow) {
        boolean dense = !perRow.isView() && perRow.data().length() == perRow.length();
        return (dense ? perRow : perRow.dup()).data().asDouble();
    }

    private double[] scales(double[] q) {
        double[] s = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            s[i] = profile.scale(q[i]);
        }
        return s;
    }

    /** Host values back into an array shaped like the per-row norm, in the given dtype. */
    private static INDArray perRow(double[] values, INDArray like, DataType type) {
        if (type == DataType.DOUBLE) {
            return Nd4j.create(values, like.shape(), DataType.DOUBLE);
        }
        float[] narrow = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            narrow[i] = (float) values[i];
        }
        INDArray single = Nd4j.create(narrow, like.shape(), DataType.FLOAT);
        return type == DataType.FLOAT ? single : single.castTo(type);
    }

    private static boolean allFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private IsotropicForward widenedForward(INDArray a, double o) {
        if (a.dataType() == DataType.DOUBLE) {
            throw overflow(a);
        }
        IsotropicForward wide = forward(a.castTo(DataType.DOUBLE), o);
        return new IsotropicForward(wide.output().castTo(a.dataType()), wide.scale().castTo(a.dataType()));
    }

    private IsotropicGradient widenedBackward(INDArray a, INDArray g, INDArray gs, double o) {
        if (a.dataType() == DataType.DOUBLE) {
            throw overflow(a);
        }
        IsotropicGradient wide = backward(a.castTo(DataType.DOUBLE), g.castTo(DataType.DOUBLE),
                gs == null ? null : gs.castTo(DataType.DOUBLE), o);
        return new IsotropicGradient(wide.input().castTo(a.dataType()), wide.intrinsicLength());
    }

    private int validateInput(INDArray a, double o) {
        Objects.requireNonNull(a, "input");
        int dim = axis.dimension(a.rank());
        if (!a.dataType().isFPType()) {
            throw new IllegalArgumentException("isotropic activation input must be FLOAT, DOUBLE or HALF, found "
                    + describe(a));
        }
        if (a.size(dim) < 1) {
            throw new IllegalArgumentException("isotropic activation input must have at least one feature along "
                    + "dimension " + dim + ", found " + describe(a));
        }
        IntrinsicLength.requireValidSquaredLength(o);
        return dim;
    }

    private static void rejectNonFinite(INDArray x, String name) {
        if (x.isNaN().any() || x.isInfinite().any()) {
            throw new IllegalArgumentException(name + " must be finite, found NaN or infinity in " + describe(x));
        }
    }

    private static IllegalArgumentException overflow(INDArray a) {
        return new IllegalArgumentException("isotropic activation input is too large: a squared norm overflows "
                + "double (row norm above about 1.3e154) in " + describe(a));
    }

    private static String describe(INDArray x) {
        return Arrays.toString(x.shape()) + " " + x.dataType();
    }
}
