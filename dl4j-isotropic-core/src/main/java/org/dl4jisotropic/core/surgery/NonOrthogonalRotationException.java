package org.dl4jisotropic.core.surgery;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Refusal to install a change of basis that is not orthogonal: such a "rotation" would change the network's function.
 * Thrown by {@link IsotropicStack#rotate}, the one place every rotation passes through, so it is the last line of
 * defence whatever computed the matrix (a user, or a decomposition that went wrong). The stack is a working copy, so
 * the network it came from is untouched.
 */
public final class NonOrthogonalRotationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int layer;
    private final double deviation;
    private final double tolerance;

    /**
     * @param layer     the hidden layer whose basis was to change
     * @param deviation the measured {@code max|R^T R - I|} (NaN if R has NaN entries)
     * @param tolerance the accepted deviation for the rotation's dtype
     * @param type      the rotation's dtype
     */
    public NonOrthogonalRotationException(int layer, double deviation, double tolerance, DataType type) {
        super(String.format("rotation of hidden layer %d is not orthogonal: max |R^T R - I| = %.3g, more than the "
                + "%.0e accepted for %s; nothing was changed", layer, deviation, tolerance, type));
        this.layer = layer;
        this.deviation = deviation;
        this.tolerance = tolerance;
    }

    /** The hidden layer whose basis was to change. */
    public int layer() {
        return layer;
    }

    /** The measured {@code max|R^T R - I|}. */
    public double deviation() {
        return deviation;
    }

    /** The accepted deviation. */
    public double tolerance() {
        return tolerance;
    }
}
