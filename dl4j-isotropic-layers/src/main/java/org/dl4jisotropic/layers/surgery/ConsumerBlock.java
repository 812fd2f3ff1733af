package org.dl4jisotropic.layers.surgery;

/**
 * The block of one consumer's input that belongs to a rotation group: the rows of the consumer's weights that must
 * rotate (grow, shrink) together with the group's writers.
 *
 * <p>Offsets and widths count channels (neurons for dense inputs) of the consumer's input before any flatten, so a
 * MergeVertex shifts the offset by the widths of the inputs before the branch; an IsotropicDenseLayer's trailing
 * scale column counts as one channel of its output. The consumer's fan-in rows of the block are
 * {@code offset·k ... (offset + width)·k - 1} for a channel-major layout and rows {@code c + j·inputChannels} for
 * {@code c} in the block and {@code j < k} for {@link BlockLayout#FLATTENED_CHANNELS_LAST}.
 *
 * @param consumer      the consumer layer vertex's name
 * @param offset        the block's first channel in the consumer's input
 * @param width         the block's number of channels: the group's width
 * @param inputChannels the consumer's input channels in total (all blocks and other inputs)
 * @param multiplicity  k: fan-in rows per channel (1 dense, H·W behind a flatten, kH·kW taps for a convolution)
 * @param layout        how the channel's k rows are laid out
 */
public record ConsumerBlock(String consumer, long offset, long width, long inputChannels, long multiplicity,
                            BlockLayout layout) {

    /** Checks the block lies inside the consumer's input. */
    public ConsumerBlock {
        if (offset < 0 || width < 1 || multiplicity < 1 || offset + width > inputChannels) {
            throw new IllegalArgumentException("block of consumer \"" + consumer + "\" must lie inside its "
                    + inputChannels + " input channels with width >= 1 and multiplicity >= 1, found offset " + offset
                    + ", width " + width + ", multiplicity " + multiplicity);
        }
    }
}
