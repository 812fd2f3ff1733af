package org.dl4jisotropic.core.activation;

import java.util.Arrays;
import java.util.Objects;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

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
 * for every finite input (including a = 0, o = 0); inputs are never modified.
 *
 * @implNote Each call computes in the input's dtype. The per-row coefficients s and s'(q) are evaluated in double
 *     and cast back, so float inputs get correctly rounded coefficients. When a squared norm overflows the input
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
        INDArray q = squaredNorm(a, dim, o);
        if (!isFinite(q)) {
            rejectNonFinite(a, "pre-activation input");
            return widenedForward(a, o);
        }
        INDArray s = profile.scale(q.castTo(DataType.DOUBLE)).castTo(a.dataType());
        return new IsotropicForward(a.mul(s), s);
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
        int dim = validateInput(a, o);
        Objects.requireNonNull(g, "upstream gradient");
        if (!Arrays.equals(a.shape(), g.shape()) || a.dataType() != g.dataType()) {
            throw new IllegalArgumentException("upstream gradient must match the input's shape and dtype "
                    + describe(a) + ", found " + describe(g));
        }
        INDArray q = squaredNorm(a, dim, o);
        if (gs != null) {
            if (!Arrays.equals(q.shape(), gs.shape()) || gs.dataType() != a.dataType()) {
                throw new IllegalArgumentException("scale gradient must have shape and dtype " + describe(q)
                        + ", found " + describe(gs));
            }
        }
        INDArray dot = a.mul(g).sum(true, dim);
        if (gs != null) {
            dot.addi(gs);
        }
        if (!isFinite(q) || !isFinite(dot)) {
            rejectNonFinite(a, "pre-activation input");
            rejectNonFinite(g, "upstream gradient");
            if (gs != null) {
                rejectNonFinite(gs, "scale gradient");
            }
            return widenedBackward(a, g, gs, o);
        }
        INDArray qd = q.castTo(DataType.DOUBLE);
        INDArray slope = profile.slope(qd);
        INDArray dotd = dot.castTo(DataType.DOUBLE);
        INDArray k = slope.mul(dotd).muli(2.0).castTo(a.dataType());
        INDArray s = profile.scale(qd).castTo(a.dataType());
        INDArray gradient = g.mul(s).addi(a.mul(k));
        double intrinsicLengthGradient = slope.muli(dotd).sumNumber().doubleValue();
        return new IsotropicGradient(gradient, intrinsicLengthGradient);
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

    private static INDArray squaredNorm(INDArray a, int dim, double o) {
        INDArray norm = a.norm2(true, dim);
        return norm.muli(norm).addi(o);
    }

    private static boolean isFinite(INDArray x) {
        return Double.isFinite(x.sumNumber().doubleValue());
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
