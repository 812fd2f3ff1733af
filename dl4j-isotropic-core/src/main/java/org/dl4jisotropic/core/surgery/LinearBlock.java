package org.dl4jisotropic.core.surgery;

import java.util.Objects;
import java.util.Optional;

import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.dl4jisotropic.core.activation.IsotropicProfile;

/**
 * The parameters of one linear layer of an isotropic network, as a matrix acting on its inputs, with their optimizer
 * state: a fully connected layer, or a convolution seen as one (matricized).
 *
 * <pre>
 *   a = x W + b + s_prev psi         W [inputs * k, n], b [1, n], psi [k, n] (present when the previous layer emits s)
 *   hidden: y = s a with s = sigma(sqrt(||a||^2 + o)) / sqrt(...);   output: the logits are a itself
 * </pre>
 * Column j of W, b and psi belongs to neuron (channel) j. The rows of W come in groups of k, one group per neuron of
 * the previous layer, input-neuron-major (row {@code i * k + t} is input neuron i, tap t): k = 1 for a dense layer
 * after a dense layer, the kernel area for a convolution after a convolution ({@code W[out, in, kh, kw]} read in 'c'
 * order), the number of flattened positions for a dense layer after a convolution. A rotation R of the previous
 * layer therefore acts on W as {@code R (x) I_k}, and psi has the same k rows as one input neuron. A hidden layer
 * that emits its scale passes s to the next layer's psi.
 */
public final class LinearBlock {

    private final TrackedParameter weights;
    private final TrackedParameter bias;
    private final TrackedParameter psi;
    private final Optional<IsotropicProfile> profile;
    private final IntrinsicLength.Mode intrinsicLengthMode;
    private final boolean emitsScale;
    private final long multiplicity;
    private double squaredLength;

    private LinearBlock(TrackedParameter weights, TrackedParameter bias, TrackedParameter psi,
                       Optional<IsotropicProfile> profile, IntrinsicLength.Mode mode, double squaredLength,
                       boolean emitsScale, long multiplicity) {
        if (multiplicity < 1 || weights.value().rows() % multiplicity != 0) {
            throw new IllegalArgumentException("weights of a layer with input multiplicity " + multiplicity
                    + " must have a multiple of " + multiplicity + " rows, found " + weights.value().rows());
        }
        this.multiplicity = multiplicity;
        this.weights = Objects.requireNonNull(weights, "weights");
        this.bias = Objects.requireNonNull(bias, "bias");
        this.psi = psi;
        this.profile = profile;
        this.intrinsicLengthMode = mode;
        this.squaredLength = squaredLength;
        this.emitsScale = emitsScale;
        long n = weights.value().columns();
        requireShape(bias, 1, n, "bias");
        if (psi != null) {
            requireShape(psi, multiplicity, n, "psi");
        }
    }

    private static void requireShape(TrackedParameter p, long rows, long n, String name) {
        if (p.value().rows() != rows || p.value().columns() != n) {
            throw new IllegalArgumentException(name + " must have shape [" + rows + ", " + n + "], found ["
                    + p.value().rows() + ", " + p.value().columns() + "]");
        }
    }

    /**
     * A hidden isotropic fully connected layer (input multiplicity 1).
     *
     * @param weights    {@code [fanIn, n]}
     * @param bias       {@code [1, n]}
     * @param psi        {@code [1, n]}, or empty if the previous layer emits no scale
     * @param profile    the activation's radial profile
     * @param length     intrinsic length mode and current squared value
     * @param emitsScale whether the layer passes its scale s to the next layer (as {@code IsotropicDenseLayer} does)
     */
    public static LinearBlock hidden(TrackedParameter weights, TrackedParameter bias, Optional<TrackedParameter> psi,
                                     IsotropicProfile profile, IntrinsicLength length, boolean emitsScale) {
        return hidden(weights, bias, psi, profile, length, emitsScale, 1);
    }

    /**
     * A hidden isotropic layer whose inputs each enter through {@code multiplicity} rows (see the class comment).
     *
     * @param weights      {@code [inputs * multiplicity, n]}, input-neuron-major
     * @param bias         {@code [1, n]}
     * @param psi          {@code [multiplicity, n]}, or empty if the previous layer emits no scale
     * @param profile      the activation's radial profile
     * @param length       intrinsic length mode and current squared value
     * @param emitsScale   whether the layer passes its scale s to the next layer
     * @param multiplicity rows per input neuron; &gt;= 1
     */
    public static LinearBlock hidden(TrackedParameter weights, TrackedParameter bias, Optional<TrackedParameter> psi,
                                     IsotropicProfile profile, IntrinsicLength length, boolean emitsScale,
                                     long multiplicity) {
        return new LinearBlock(weights, bias, psi.orElse(null), Optional.of(profile), length.mode(),
                length.squaredLength(), emitsScale, multiplicity);
    }

    /**
     * The output (logit) layer: an affine map, its activation (softmax etc.) left to the caller.
     *
     * @param weights {@code [fanIn, nOut]}
     * @param bias    {@code [1, nOut]}
     * @param psi     {@code [1, nOut]}, or empty if the last hidden layer emits no scale
     */
    public static LinearBlock output(TrackedParameter weights, TrackedParameter bias, Optional<TrackedParameter> psi) {
        return output(weights, bias, psi, 1);
    }

    /**
     * The output (logit) layer with inputs that each enter through {@code multiplicity} rows (a dense output layer
     * after a flattened convolution: one row per position).
     *
     * @param weights      {@code [inputs * multiplicity, nOut]}, input-neuron-major
     * @param bias         {@code [1, nOut]}
     * @param psi          {@code [multiplicity, nOut]}, or empty if the last hidden layer emits no scale
     * @param multiplicity rows per input neuron; &gt;= 1
     */
    public static LinearBlock output(TrackedParameter weights, TrackedParameter bias, Optional<TrackedParameter> psi,
                                     long multiplicity) {
        return new LinearBlock(weights, bias, psi.orElse(null), Optional.empty(), IntrinsicLength.Mode.NONE, 0.0,
                false, multiplicity);
    }

    /** Incoming weights {@code [fanIn, n]}. */
    public TrackedParameter weights() {
        return weights;
    }

    /** Bias {@code [1, n]}. */
    public TrackedParameter bias() {
        return bias;
    }

    /** Correction from the previous layer's scale, {@code [multiplicity, n]}, if that layer emits one. */
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

    /** Number of input features: rows of W, {@code inputs() * multiplicity()}. */
    public long fanIn() {
        return weights.value().rows();
    }

    /** Number of neurons (channels) of the previous layer this layer reads: {@code fanIn() / multiplicity()}. */
    public long inputs() {
        return weights.value().rows() / multiplicity;
    }

    /** Rows of W per input neuron: 1 for dense inputs, kernel taps or flattened positions for convolutional ones. */
    public long multiplicity() {
        return multiplicity;
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
