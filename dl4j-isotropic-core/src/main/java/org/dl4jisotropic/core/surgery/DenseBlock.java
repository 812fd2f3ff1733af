package org.dl4jisotropic.core.surgery;

import java.util.Objects;
import java.util.Optional;

import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.dl4jisotropic.core.activation.IsotropicProfile;

/**
 * The parameters of one fully connected layer of an isotropic network, in DL4J's layout, with their optimizer state.
 *
 * <pre>
 *   a = x W + b + s_prev psi         W [fanIn, n], b [1, n], psi [1, n] (present when the previous layer emits s)
 *   hidden: y = s a with s = sigma(sqrt(||a||^2 + o)) / sqrt(...);   output: the logits are a itself
 * </pre>
 * Column j of W, b and psi belongs to neuron j. A hidden layer that emits its scale passes s to the next layer's psi.
 */
public final class DenseBlock {

    private final TrackedParameter weights;
    private final TrackedParameter bias;
    private final TrackedParameter psi;
    private final Optional<IsotropicProfile> profile;
    private final IntrinsicLength.Mode intrinsicLengthMode;
    private final boolean emitsScale;
    private double squaredLength;

    private DenseBlock(TrackedParameter weights, TrackedParameter bias, TrackedParameter psi,
                       Optional<IsotropicProfile> profile, IntrinsicLength.Mode mode, double squaredLength,
                       boolean emitsScale) {
        this.weights = Objects.requireNonNull(weights, "weights");
        this.bias = Objects.requireNonNull(bias, "bias");
        this.psi = psi;
        this.profile = profile;
        this.intrinsicLengthMode = mode;
        this.squaredLength = squaredLength;
        this.emitsScale = emitsScale;
        long n = weights.value().columns();
        requireRow(bias, n, "bias");
        if (psi != null) {
            requireRow(psi, n, "psi");
        }
    }

    private static void requireRow(TrackedParameter p, long n, String name) {
        if (p.value().rows() != 1 || p.value().columns() != n) {
            throw new IllegalArgumentException(name + " must have shape [1, " + n + "], found ["
                    + p.value().rows() + ", " + p.value().columns() + "]");
        }
    }

    /**
     * A hidden isotropic layer.
     *
     * @param weights    {@code [fanIn, n]}
     * @param bias       {@code [1, n]}
     * @param psi        {@code [1, n]}, or empty if the previous layer emits no scale
     * @param profile    the activation's radial profile
     * @param length     intrinsic length mode and current squared value
     * @param emitsScale whether the layer passes its scale s to the next layer (as {@code IsotropicDenseLayer} does)
     */
    public static DenseBlock hidden(TrackedParameter weights, TrackedParameter bias, Optional<TrackedParameter> psi,
                                    IsotropicProfile profile, IntrinsicLength length, boolean emitsScale) {
        return new DenseBlock(weights, bias, psi.orElse(null), Optional.of(profile), length.mode(),
                length.squaredLength(), emitsScale);
    }

    /**
     * The output (logit) layer: an affine map, its activation (softmax etc.) left to the caller.
     *
     * @param weights {@code [fanIn, nOut]}
     * @param bias    {@code [1, nOut]}
     * @param psi     {@code [1, nOut]}, or empty if the last hidden layer emits no scale
     */
    public static DenseBlock output(TrackedParameter weights, TrackedParameter bias, Optional<TrackedParameter> psi) {
        return new DenseBlock(weights, bias, psi.orElse(null), Optional.empty(), IntrinsicLength.Mode.NONE, 0.0,
                false);
    }

    /** Incoming weights {@code [fanIn, n]}. */
    public TrackedParameter weights() {
        return weights;
    }

    /** Bias {@code [1, n]}. */
    public TrackedParameter bias() {
        return bias;
    }

    /** Correction from the previous layer's scale, {@code [1, n]}, if that layer emits one. */
    public Optional<TrackedParameter> psi() {
        return Optional.ofNullable(psi);
    }

    /** The radial profile of a hidden layer; empty for the output layer. */
    public Optional<IsotropicProfile> profile() {
        return profile;
    }

    /** True for hidden (isotropic) layers. */
    public boolean isHidden() {
        return profile.isPresent();
    }

    /** Whether this layer's scale feeds the next layer's psi. */
    public boolean emitsScale() {
        return emitsScale;
    }

    /** Number of neurons (columns of W). */
    public long width() {
        return weights.value().columns();
    }

    /** Number of inputs (rows of W). */
    public long fanIn() {
        return weights.value().rows();
    }

    /** The intrinsic length mode and current squared value o. */
    public IntrinsicLength intrinsicLength() {
        return new IntrinsicLength(intrinsicLengthMode, squaredLength);
    }

    /** Current squared intrinsic length o. */
    public double squaredLength() {
        return squaredLength;
    }

    /**
     * Adds to o (neurodegeneration moves a removed constant neuron into the norm).
     *
     * @throws IllegalStateException if the layer's mode is NONE and the increment is not zero
     */
    void addToSquaredLength(double increment) {
        if (increment != 0.0 && intrinsicLengthMode == IntrinsicLength.Mode.NONE) {
            throw new IllegalStateException("intrinsic length mode NONE cannot absorb a removed neuron");
        }
        squaredLength += increment;
    }

    /** Sets o back (used when an operation is undone, e.g. grow-then-shrink round trips in tests). */
    void setSquaredLength(double value) {
        squaredLength = value;
    }
}
