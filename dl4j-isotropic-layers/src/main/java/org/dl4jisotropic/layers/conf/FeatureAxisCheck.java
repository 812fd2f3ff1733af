package org.dl4jisotropic.layers.conf;

import java.util.Objects;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.Cnn3DToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.CnnToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnn3DPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToCnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.layers.activation.IsotropicActivation;
import org.nd4j.linalg.activations.IActivation;

/**
 * Checks that every isotropic activation of a network takes its norm over the channel axis of the data it sees.
 *
 * <p>An isotropic activation {@code f(a) = sigma(|a|)/|a| a} is equivariant under rotations of the vector its norm
 * runs over, and exact network surgery relies on that vector being the channels at one position. With NHWC data the
 * default {@link FeatureAxis#CHANNELS_FIRST} takes the norm over H instead: the network trains, but silently loses
 * the symmetry. Required axes:
 * <pre>
 *   NCHW, NCW (recurrent, Convolution1D), NCDHW  -&gt;  CHANNELS_FIRST
 *   NHWC, NWC,                            NDHWC  -&gt;  CHANNELS_LAST
 *   [mb, n] (dense, output and recurrent layers, which apply activations per time step)  -&gt;  either
 * </pre>
 * Activations checked: that of a {@code ConvolutionLayer} (and its subclasses, in the layer's own format),
 * {@code Convolution1DLayer} (its RNN format), {@code Convolution3D} (its format), and of an {@code ActivationLayer}
 * or {@link IsotropicActivationLayer} (the format of their input, followed through the preceding layers and
 * preprocessors). Configurations store no input types, so the format reaching the first layers is unknown unless
 * the network's input type is given; an activation whose format cannot be determined is refused too.
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
     * The feature axis whose norm runs over the channels of a sequence format.
     *
     * @param format NCW or NWC
     * @return CHANNELS_FIRST for NCW, CHANNELS_LAST for NWC
     */
    public static FeatureAxis requiredAxis(RNNFormat format) {
        return Objects.requireNonNull(format, "format") == RNNFormat.NCW
                ? FeatureAxis.CHANNELS_FIRST : FeatureAxis.CHANNELS_LAST;
    }

    /**
     * Checks every layer of a configuration whose input type is not known (the format reaching the first layer is
     * then unknown).
     *
     * @param conf the network configuration; not modified
     * @throws IllegalArgumentException naming the first layer whose isotropic activation takes its norm over another
     *                                  axis than the channels, or whose data format cannot be determined
     */
    public static void requireMatchingAxes(MultiLayerConfiguration conf) {
        walk(conf, Layout.UNKNOWN);
    }

    /**
     * Checks every layer of a configuration fed with the given input type.
     *
     * @param conf      the network configuration; not modified
     * @param inputType the network's input type, as passed to {@code setInputType}
     * @throws IllegalArgumentException as for {@link #requireMatchingAxes(MultiLayerConfiguration)}
     */
    public static void requireMatchingAxes(MultiLayerConfiguration conf, InputType inputType) {
        walk(conf, Layout.of(Objects.requireNonNull(inputType, "inputType")));
    }

    private static void walk(MultiLayerConfiguration conf, Layout networkInput) {
        Layout current = networkInput;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            InputPreProcessor preProcessor = conf.getInputPreProcess(i);
            if (preProcessor != null) {
                current = Layout.after(preProcessor);
            }
            Layer layer = conf.getConf(i).getLayer();
            IActivation activation = activationOf(layer);
            if (activation instanceof IsotropicActivation) {
                Layout seen = seenByActivation(layer, current);
                require((IsotropicActivation) activation, seen, i, layer);
            }
            current = outputOf(layer, current);
        }
    }

    private static void require(IsotropicActivation activation, Layout seen, int index, Layer layer) {
        String where = "layer " + index + " (name \"" + layer.getLayerName() + "\", "
                + layer.getClass().getSimpleName() + ")";
        if (seen.flat) {
            return;
        }
        if (seen.channels == null) {
            throw new IllegalArgumentException(where + ": cannot tell which data format its isotropic activation "
                    + activation + " sees (no preceding layer fixes it); check with "
                    + "FeatureAxisCheck.requireMatchingAxes(conf, inputType)");
        }
        if (seen.channels != activation.featureAxis()) {
            throw new IllegalArgumentException(where + ": isotropic activation " + activation + " takes its norm "
                    + "over " + activation.featureAxis() + ", but its " + seen.format + " data hold the channels "
                    + (seen.channels == FeatureAxis.CHANNELS_LAST ? "last" : "first")
                    + ", so the norm would not run over the channels and the layer would not be rotation-equivariant;"
                    + " use " + activation.getClass().getSimpleName() + "(o, FeatureAxis." + seen.channels + ")");
        }
    }

    private static IActivation activationOf(Layer layer) {
        if (layer instanceof IsotropicActivationLayer) {
            return ((IsotropicActivationLayer) layer).activation();
        }
        if (layer instanceof ActivationLayer) {
            return ((ActivationLayer) layer).getActivationFn();
        }
        if (layer instanceof BaseLayer) {
            return ((BaseLayer) layer).getActivationFn();
        }
        return null;
    }

    /** The layout of the array the layer's activation function is applied to. */
    private static Layout seenByActivation(Layer layer, Layout input) {
        if (layer instanceof IsotropicActivationLayer) {
            CNN2DFormat own = ((IsotropicActivationLayer) layer).explicitDataFormat();
            return input.channels == null && own != null ? Layout.of(own) : input;
        }
        if (layer instanceof ActivationLayer) {
            return input;
        }
        if (layer instanceof ConvolutionLayer) {
            return convolutionOutput((ConvolutionLayer) layer);
        }
        return Layout.FLAT;   // dense, output and recurrent layers apply activations to [mb, n] arrays
    }

    private static Layout outputOf(Layer layer, Layout input) {
        if (layer instanceof ConvolutionLayer) {
            return convolutionOutput((ConvolutionLayer) layer);
        }
        if (layer instanceof BaseRecurrentLayer) {
            return Layout.of(((BaseRecurrentLayer) layer).getRnnDataFormat());
        }
        if (layer instanceof RnnOutputLayer) {
            return Layout.of(((RnnOutputLayer) layer).getRnnDataFormat());
        }
        if (layer instanceof FeedForwardLayer) {
            return Layout.FLAT;
        }
        if (layer instanceof GlobalPoolingLayer && ((GlobalPoolingLayer) layer).isCollapseDimensions()) {
            return Layout.FLAT;
        }
        if (layer instanceof IsotropicActivationLayer && input.channels == null) {
            CNN2DFormat own = ((IsotropicActivationLayer) layer).explicitDataFormat();
            return own == null ? input : Layout.of(own);
        }
        return input;   // activation, dropout, pooling, padding, cropping, upsampling, normalization: same layout
    }

    private static Layout convolutionOutput(ConvolutionLayer layer) {
        if (layer instanceof Convolution1DLayer) {
            return Layout.of(((Convolution1DLayer) layer).getRnnDataFormat());
        }
        if (layer instanceof Convolution3D) {
            Convolution3D.DataFormat format = ((Convolution3D) layer).getDataFormat();
            return format == null ? Layout.UNKNOWN : Layout.of(format);
        }
        CNN2DFormat format = layer.getCnn2dDataFormat();
        return Layout.of(format == null ? CNN2DFormat.NCHW : format);   // DL4J's default
    }

    /** Where the channels of an activation array are, and the format they come from (for messages). */
    private static final class Layout {
        static final Layout UNKNOWN = new Layout(null, false, "unknown");
        /** {@code [mb, n]}: both feature axes denote dimension 1. */
        static final Layout FLAT = new Layout(null, true, "[mb, n]");

        /** The axis holding the channels; null when flat or unknown. */
        final FeatureAxis channels;
        final boolean flat;
        final String format;

        private Layout(FeatureAxis channels, boolean flat, String format) {
            this.channels = channels;
            this.flat = flat;
            this.format = format;
        }

        static Layout of(CNN2DFormat format) {
            return format == null ? UNKNOWN : new Layout(requiredAxis(format), false, format.name());
        }

        static Layout of(RNNFormat format) {
            RNNFormat known = format == null ? RNNFormat.NCW : format;   // DL4J's default
            return new Layout(requiredAxis(known), false, known.name());
        }

        static Layout of(Convolution3D.DataFormat format) {
            return new Layout(format == Convolution3D.DataFormat.NCDHW ? FeatureAxis.CHANNELS_FIRST
                    : FeatureAxis.CHANNELS_LAST, false, format.name());
        }

        static Layout of(InputType type) {
            if (type instanceof InputType.InputTypeConvolutional) {
                return of(((InputType.InputTypeConvolutional) type).getFormat());
            }
            if (type instanceof InputType.InputTypeRecurrent) {
                return of(((InputType.InputTypeRecurrent) type).getFormat());
            }
            if (type instanceof InputType.InputTypeConvolutional3D) {
                return of(((InputType.InputTypeConvolutional3D) type).getDataFormat());
            }
            return type.getType() == InputType.Type.FF || type.getType() == InputType.Type.CNNFlat ? FLAT : UNKNOWN;
        }

        static Layout after(InputPreProcessor preProcessor) {
            if (preProcessor instanceof CnnToFeedForwardPreProcessor
                    || preProcessor instanceof RnnToFeedForwardPreProcessor
                    || preProcessor instanceof Cnn3DToFeedForwardPreProcessor) {
                return FLAT;
            }
            if (preProcessor instanceof FeedForwardToCnnPreProcessor || preProcessor instanceof RnnToCnnPreProcessor) {
                return of(CNN2DFormat.NCHW);
            }
            if (preProcessor instanceof CnnToRnnPreProcessor) {
                return of(((CnnToRnnPreProcessor) preProcessor).getRnnDataFormat());
            }
            if (preProcessor instanceof FeedForwardToRnnPreProcessor) {
                return of(((FeedForwardToRnnPreProcessor) preProcessor).getRnnDataFormat());
            }
            if (preProcessor instanceof FeedForwardToCnn3DPreProcessor) {
                return of(((FeedForwardToCnn3DPreProcessor) preProcessor).isNCDHW() ? Convolution3D.DataFormat.NCDHW
                        : Convolution3D.DataFormat.NDHWC);
            }
            return UNKNOWN;
        }
    }
}
