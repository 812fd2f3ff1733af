package org.dl4jisotropic.layers.conf;

import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * The output type of an {@link IsotropicDenseLayer}: a feed-forward vector of {@code nOut + 1} columns whose last
 * column is the layer's scale s.
 *
 * <p>Stock layers see an ordinary feed-forward input of that size (so a following {@code DenseLayer} or
 * {@code OutputLayer} learns the psi correction as the last row of its weight matrix); a following
 * {@link IsotropicDenseLayer} recognizes the type and keeps psi as its own parameter.
 */
public class IsotropicFeedForwardType extends InputType.InputTypeFeedForward {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the type.
     *
     * @param neurons the emitting layer's width (the type's size is one more)
     */
    public IsotropicFeedForwardType(long neurons) {
        super(neurons + 1, null);
    }

    /** The emitting layer's width, without the scale column. */
    public long neurons() {
        return getSize() - 1;
    }
}
