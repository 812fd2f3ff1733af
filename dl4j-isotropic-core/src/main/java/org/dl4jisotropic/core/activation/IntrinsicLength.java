package org.dl4jisotropic.core.activation;

/**
 * The intrinsic length o of an isotropic layer, stored squared, and how it evolves.
 *
 * <p>It enters the activation as {@code q = ||a||^2 + o}. A positive o keeps the activation smooth at a = 0, and it
 * is what makes the removal of a constant neuron exact: the removed neuron's constant pre-activation b* moves into
 * the norm through {@code o <- o + b*^2}.
 *
 * @param mode          how o behaves during training
 * @param squaredLength the initial (or, for {@link Mode#NONE}, the only) value of o; finite, &gt;= 0, and 0 for
 *                      {@link Mode#NONE}, &gt; 0 for {@link Mode#TRAINABLE} (which trains lambda = log o)
 */
public record IntrinsicLength(Mode mode, double squaredLength) {

    /** The paper's starting value of o for constant and trainable modes. */
    public static final double DEFAULT_SQUARED_LENGTH = 1e-6;

    /** How the intrinsic length behaves. */
    public enum Mode {
        /** o = 0 always. A layer in this mode cannot take exact neuron removals. */
        NONE,
        /** o is fixed during training; only network surgery changes it. */
        CONSTANT,
        /** o = exp(lambda) with lambda trained by backpropagation (keep weight decay off lambda). */
        TRAINABLE
    }

    /** Validates the combination of mode and value. */
    public IntrinsicLength {
        if (mode == null) {
            throw new IllegalArgumentException("intrinsic length mode must be NONE, CONSTANT or TRAINABLE, found null");
        }
        requireValidSquaredLength(squaredLength);
        if (mode == Mode.NONE && squaredLength != 0.0) {
            throw new IllegalArgumentException("squared intrinsic length must be 0 in mode NONE, found " + squaredLength);
        }
        if (mode == Mode.TRAINABLE && !(squaredLength > 0.0)) {
            throw new IllegalArgumentException("squared intrinsic length must be > 0 in mode TRAINABLE (it trains "
                    + "log o), found " + squaredLength);
        }
    }

    /** o = 0, fixed. */
    public static IntrinsicLength none() {
        return new IntrinsicLength(Mode.NONE, 0.0);
    }

    /**
     * o fixed at the given value except for surgery.
     *
     * @param squaredLength o; finite and &gt;= 0
     */
    public static IntrinsicLength constant(double squaredLength) {
        return new IntrinsicLength(Mode.CONSTANT, squaredLength);
    }

    /**
     * o = exp(lambda) trained from the given starting value.
     *
     * @param initialSquaredLength starting o; finite and &gt; 0
     */
    public static IntrinsicLength trainable(double initialSquaredLength) {
        return new IntrinsicLength(Mode.TRAINABLE, initialSquaredLength);
    }

    /**
     * Checks a squared intrinsic length.
     *
     * @param o the value to check
     * @throws IllegalArgumentException unless o is finite and &gt;= 0
     */
    public static void requireValidSquaredLength(double o) {
        if (!(o >= 0.0) || o == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("squared intrinsic length o must be finite and >= 0, found " + o);
        }
    }
}
