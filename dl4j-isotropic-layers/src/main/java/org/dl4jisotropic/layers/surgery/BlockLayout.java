package org.dl4jisotropic.layers.surgery;

/**
 * How a group's channels sit among the rows of a consumer's fan-in matrix, that is the consumer's weights seen as
 * {@code [fan-in rows, fan-out]}. A rotation R of the group acts on the consumer's block as {@code R ⊗ I_k}
 * (channel-major) or {@code I_k ⊗ R} (channel-minor), k being the block's multiplicity.
 */
public enum BlockLayout {

    /** A dense consumer of a feature vector: one row per channel (k = 1). */
    FEATURES(true),

    /**
     * A dense consumer behind DL4J's NCHW flatten ({@code CnnToFeedForwardPreProcessor}, feature index
     * {@code c·HW + h·W + w}): channel c owns the k = H·W consecutive rows {@code c·HW ... c·HW + HW - 1}.
     */
    FLATTENED_CHANNELS_FIRST(true),

    /**
     * A dense consumer behind DL4J's NHWC flatten (feature index {@code (h·W + w)·C + c}): channel c owns the k = H·W
     * rows {@code c, c + C, c + 2C, ...}, one per position.
     */
    FLATTENED_CHANNELS_LAST(true),

    /**
     * A {@code ConvolutionLayer} consumer, weights {@code [nOut, nIn, kH, kW]} in 'c' order: input channel c owns the
     * k = kH·kW kernel taps {@code W[:, c, :, :]}; nIn counts channels, not taps.
     */
    CONVOLUTION(false);

    private final boolean nInCountsRows;

    BlockLayout(boolean nInCountsRows) {
        this.nInCountsRows = nInCountsRows;
    }

    /**
     * How much the consumer's nIn changes per channel added to the block: its multiplicity when nIn counts fan-in
     * rows (dense consumers, flattened or not), 1 when it counts channels (convolutions).
     */
    public long nInPerChannel(long multiplicity) {
        return nInCountsRows ? multiplicity : 1;
    }
}
