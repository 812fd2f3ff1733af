package org.dl4jisotropic.examples.train;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;

/**
 * The hidden layers the training harness builds ({@code --activation}): the paper's isotropic layer, or an
 * elementwise baseline (stock {@code DenseLayer}, the network's weight init) trained in the same harness. For
 * convolutions ({@link ModelKind#CNN}) each kind also names the activation of a stock {@code ConvolutionLayer}
 * ({@link #channelActivation()}).
 */
public enum HiddenActivation {
    /** {@code IsotropicDenseLayer}: trainable o, psi with L2 {@link #PSI_L2}, orthogonal init. */
    ISOTROPIC_TANH("isotropic-tanh") {
        @Override
        public Layer layer(int width) {
            return new IsotropicDenseLayer.Builder().nOut(width).psiL2(PSI_L2).build();
        }

        @Override
        public IActivation channelActivation() {
            return new IsotropicTanh(CHANNEL_SQUARED_LENGTH, FeatureAxis.CHANNELS_FIRST);
        }
    },
    /** Elementwise tanh. */
    TANH("tanh") {
        @Override
        public Layer layer(int width) {
            return new DenseLayer.Builder().nOut(width).activation(Activation.TANH).build();
        }

        @Override
        public IActivation channelActivation() {
            return Activation.TANH.getActivationFunction();
        }
    },
    /** Elementwise ReLU. */
    RELU("relu") {
        @Override
        public Layer layer(int width) {
            return new DenseLayer.Builder().nOut(width).activation(Activation.RELU).build();
        }

        @Override
        public IActivation channelActivation() {
            return Activation.RELU.getActivationFunction();
        }
    };

    /** L2 coefficient of psi, as in the paper's runs. */
    public static final double PSI_L2 = 0.1;

    /**
     * The fixed squared intrinsic length o of isotropic convolutions: the dense layers' starting value (the paper's),
     * fixed because a stock {@code ConvolutionLayer} has no parameter to train it.
     */
    public static final double CHANNEL_SQUARED_LENGTH = IntrinsicLength.DEFAULT_SQUARED_LENGTH;

    private final String label;

    HiddenActivation(String label) {
        this.label = label;
    }

    /** A hidden layer configuration of this kind with {@code width} outputs. */
    public abstract Layer layer(int width);

    /**
     * The activation of a stock convolution layer of this kind on NCHW activations: isotropic over the channels at
     * each position ({@link FeatureAxis#CHANNELS_FIRST}), or the elementwise function.
     */
    public abstract IActivation channelActivation();

    /** Whether the layer is isotropic, so that surgery, adaptation and spectra apply. */
    public boolean isotropic() {
        return this == ISOTROPIC_TANH;
    }

    /**
     * The constant whose option value is {@code label} (for callers that hold a string, such as JMH parameters).
     *
     * @throws IllegalArgumentException listing the accepted values
     */
    public static HiddenActivation fromLabel(String label) {
        for (HiddenActivation activation : values()) {
            if (activation.label.equals(label)) {
                return activation;
            }
        }
        throw new IllegalArgumentException("activation must be one of " + Arrays.stream(values())
                .map(HiddenActivation::toString).collect(Collectors.joining(", ")) + ", found " + label);
    }

    /** The option value, e.g. {@code isotropic-tanh}: what picocli lists and matches, and what report.json shows. */
    @Override
    public String toString() {
        return label;
    }
}
