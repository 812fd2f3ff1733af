package org.dl4jisotropic.core.activation;

/**
 * Which dimension of an activation array holds the layer vector whose norm an isotropic activation takes.
 *
 * <p>The norm is taken over this one dimension, separately for every index of all the others: per example for
 * dense layers, per example and spatial position for convolutions, per example and time step for recurrent layers.
 */
public enum FeatureAxis {

    /**
     * Dimension 1: {@code [mb, n]} (dense), {@code [mb, c, h, w]} (NCHW convolution, norm over channels at each
     * position) and {@code [mb, n, t]} (NCW recurrent, norm over features at each time step). DL4J's default.
     */
    CHANNELS_FIRST,

    /**
     * The last dimension: {@code [mb, n]}, {@code [mb, h, w, c]} (NHWC convolution) and {@code [mb, t, n]}
     * (NWC recurrent).
     */
    CHANNELS_LAST;

    /**
     * The dimension index this axis denotes for an array of the given rank.
     *
     * @param rank array rank; at least 2
     * @return the dimension to reduce over
     * @throws IllegalArgumentException if {@code rank < 2}
     */
    public int dimension(int rank) {
        if (rank < 2) {
            throw new IllegalArgumentException("isotropic activation input must have rank >= 2 ([mb, n], [mb, c, h, w]"
                    + " or [mb, n, t]), found rank " + rank);
        }
        return this == CHANNELS_FIRST ? 1 : rank - 1;
    }
}
