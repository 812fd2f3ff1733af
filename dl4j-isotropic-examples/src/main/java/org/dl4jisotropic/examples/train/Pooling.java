package org.dl4jisotropic.examples.train;

import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/**
 * The pooling after each convolution of {@link ModelKind#CNN} ({@code --pooling}): 2x2 windows, stride 2. Each
 * constant builds its layer, so another pooling (such as an equivariant norm-max pooling) is one more constant.
 */
public enum Pooling {
    /**
     * Average pooling: linear and the same for every channel, so it commutes with channel rotations and keeps an
     * isotropic network isotropic.
     */
    AVG("avg", PoolingType.AVG, true),
    /**
     * Max pooling per channel (the usual ReLU CNN): it picks a position per channel, so it does not commute with
     * channel rotations and is refused with isotropic activations.
     */
    MAX("max", PoolingType.MAX, false);

    /** Side of the square pooling window, and its stride. */
    public static final int WINDOW = 2;

    private final String label;
    private final PoolingType type;
    private final boolean rotationEquivariant;

    Pooling(String label, PoolingType type, boolean rotationEquivariant) {
        this.label = label;
        this.type = type;
        this.rotationEquivariant = rotationEquivariant;
    }

    /** A pooling layer of this kind: {@value #WINDOW}x{@value #WINDOW} windows, stride {@value #WINDOW}. */
    public Layer layer() {
        return new SubsamplingLayer.Builder(type).kernelSize(WINDOW, WINDOW).stride(WINDOW, WINDOW).build();
    }

    /** Whether the pooling commutes with a rotation of the channels at each position (so isotropy survives it). */
    public boolean rotationEquivariant() {
        return rotationEquivariant;
    }

    /** The option value, e.g. {@code avg}: what picocli lists and matches, and what report.json shows. */
    @Override
    public String toString() {
        return label;
    }
}
