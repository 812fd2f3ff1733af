package org.dl4jisotropic.layers.conf;

/** How an {@link IsotropicDenseLayer}'s neurons connect to the previous layer's. */
public enum Connectivity {
    /** Every input to every neuron: weights {@code W [nIn, nOut]}. */
    DENSE,
    /**
     * Input i to neuron i only, for i &lt; min(nIn, nOut): one weight per connection, {@code d [1, min(nIn, nOut)]}.
     * This is how a fully diagonalized layer is stored after sparsification.
     */
    DIAGONAL
}
