package org.dl4jisotropic.layers.conf;

import java.util.Objects;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.dl4jisotropic.core.activation.FeatureAxis;

/**
 * Checks that every isotropic activation takes its norm over the channel axis of the data it sees.
 *
 * <p>An isotropic activation {@code f(a) = sigma(|a|)/|a| a} is equivariant under rotations of the vector its norm
 * runs over. In a convolution that vector must be the channels at one position; with NHWC data the default
 * {@link FeatureAxis#CHANNELS_FIRST} takes the norm over H instead, which silently loses the symmetry that network
 * surgery relies on. Required axes: NCHW and NCW {@code ->} CHANNELS_FIRST, NHWC and NWC {@code ->} CHANNELS_LAST.
 */
public final class FeatureAxisCheck {

    private FeatureAxisCheck() {
    }

    /**
     * The feature axis whose norm runs over the channels of a 2-D convolutional format.
     *
     * @param format NCHW or NHWC
     * @return CHANNELS_FIRST for NCHW, CHANNELS_LAST for NHWC
     */
    public static FeatureAxis requiredAxis(CNN2DFormat format) {
        return Objects.requireNonNull(format, "format") == CNN2DFormat.NCHW
                ? FeatureAxis.CHANNELS_FIRST : FeatureAxis.CHANNELS_LAST;
    }

    /**
     * The feature axis whose norm runs over the channels of a 1-D (sequence) format.
     *
     * @param format NCW or NWC
     * @return CHANNELS_FIRST for NCW, CHANNELS_LAST for NWC
     */
    public static FeatureAxis requiredAxis(RNNFormat format) {
        return Objects.requireNonNull(format, "format") == RNNFormat.NCW
                ? FeatureAxis.CHANNELS_FIRST : FeatureAxis.CHANNELS_LAST;
    }
}
