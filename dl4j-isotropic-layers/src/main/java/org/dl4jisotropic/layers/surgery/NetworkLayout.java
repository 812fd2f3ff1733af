package org.dl4jisotropic.layers.surgery;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.dl4jisotropic.layers.activation.IsotropicActivation;
import org.dl4jisotropic.layers.conf.Connectivity;
import org.dl4jisotropic.layers.conf.FeatureAxisCheck;
import org.dl4jisotropic.layers.conf.IsotropicActivationLayer;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.conf.NormMaxPooling2D;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

/**
 * Where the isotropic layers of a MultiLayerNetwork are and how each one's weights read its inputs: the map from the
 * network's layer list to the core's chain of {@link org.dl4jisotropic.core.surgery.LinearBlock}s.
 *
 * <p>A <em>unit</em> is one block: a layer with weights ({@code DenseLayer}, {@code OutputLayer},
 * {@code IsotropicDenseLayer} or {@code ConvolutionLayer}) with, for a hidden unit, the isotropic activation that
 * follows it, either inside the layer or as the next layer after an identity activation: an
 * {@code IsotropicActivationLayer} (which also passes the scale on, as an extra channel or feature, so that the next
 * unit holds psi and neurons can be removed exactly) or an {@code ActivationLayer} with an {@code Isotropic*}
 * activation. Between a hidden unit and the next unit only layers that commute with
 * rotations of the channels may sit: average {@code SubsamplingLayer}, {@code ZeroPaddingLayer}, {@code Cropping2D},
 * {@code Upsampling2D}, average {@code GlobalPoolingLayer} and {@code NormMaxPooling2D} (which allows every operation
 * but removal); a dense layer after a convolution reads it through
 * DL4J's {@code CnnToFeedForwardPreProcessor}. Anything else is refused, naming the layer and what to use instead.
 *
 * <p>Hidden layer indices in surgery count hidden units: for an MLP they are the DL4J layer indices; for a CNN,
 * {@link Unit#layer()} gives the DL4J index of each.
 */
final class NetworkLayout {

    /** Where a unit's psi (the weights that read the previous unit's scale) is stored. */
    enum PsiSource {
        /** The previous unit emits no scale. */
        NONE,
        /** The {@code psi} parameter of an {@code IsotropicDenseLayer} that knows its input carries the scale. */
        PARAMETER,
        /** The last k rows of the weight matrix: the scale arrives as the last input channel or feature. */
        WEIGHT_ROWS
    }

    /**
     * One block of the chain.
     *
     * @param layer           DL4J index of the layer that holds the weights
     * @param activationLayer DL4J index of a separate activation layer, if the activation is not in {@code layer}
     * @param hidden          false for the output unit
     * @param arrangement     how the weights map to the core's matrix
     * @param multiplicity    rows of that matrix per input neuron
     * @param psi             where the unit's psi is
     * @param emitsScale      whether the unit passes its scale to the next unit
     * @param flatten         the preprocessor that flattens this unit's convolutional input, if any (its channel
     *                        count must follow the previous unit's width)
     * @param removalBlocker  why neurons cannot be removed from this hidden unit even with psi and o, if that is
     *                        so: a layer on its way to the next unit through which removal is not continuous
     */
    record Unit(int layer, OptionalInt activationLayer, boolean hidden, ParameterArrangement arrangement,
                long multiplicity, PsiSource psi, boolean emitsScale,
                Optional<CnnToFeedForwardPreProcessor> flatten, Optional<String> removalBlocker) {

        Unit withRemovalBlocker(String reason) {
            return new Unit(layer, activationLayer, hidden, arrangement, multiplicity, psi, emitsScale, flatten,
                    Optional.of(reason));
        }
    }

    private final List<Unit> units;

    private NetworkLayout(List<Unit> units) {
        this.units = List.copyOf(units);
    }

    /** The units, hidden units first, the output unit last. */
    List<Unit> units() {
        return units;
    }

    /** Unit {@code index}. */
    Unit unit(int index) {
        return units.get(index);
    }

    /**
     * Checks that neurons can be removed from hidden unit {@code index} as far as the layers around it go (the core
     * checks psi and o).
     *
     * @throws IllegalArgumentException naming the layer in the way and the replacement
     */
    void requireRemovable(int index) {
        if (index >= 0 && index < units.size() - 1) {
            Unit unit = units.get(index);
            unit.removalBlocker().ifPresent(reason -> {
                throw new IllegalArgumentException("cannot remove channels from hidden layer " + index + " (layer "
                        + unit.layer() + "): " + reason);
            });
        }
    }

    /** Whether any unit is a convolution or reads a flattened convolution. */
    boolean isConvolutional() {
        return units.stream().anyMatch(u -> u.multiplicity() != 1 || u.arrangement() != ParameterArrangement.DENSE);
    }

    /**
     * Analyses a configuration.
     *
     * @throws IllegalArgumentException naming the first layer that surgery cannot handle, and what to use instead
     */
    static NetworkLayout of(MultiLayerConfiguration configuration) {
        // an activation whose axis is not the channel axis is not rotation-equivariant to begin with
        FeatureAxisCheck.requireMatchingAxes(configuration);
        int n = configuration.getConfs().size();
        List<Unit> units = new ArrayList<>();
        boolean previousEmitsScale = false;
        int i = 0;
        while (i < n) {
            Layer layer = layer(configuration, i);
            if (isTransparent(layer)) {
                if (units.isEmpty() || !units.get(units.size() - 1).hidden()) {
                    throw refusal(i, layer, "must follow an isotropic layer (surgery starts at the first layer with "
                            + "weights)");
                }
                requireNoPreProcessor(configuration, i, layer);
                if (layer instanceof NormMaxPooling2D) {
                    int last = units.size() - 1;
                    units.set(last, units.get(last).withRemovalBlocker("its channels pass through layer " + i
                            + " (NormMaxPooling2D), whose choice of position can flip when a channel is removed, "
                            + "so removal is neither exact nor bounded; use average pooling (SubsamplingLayer AVG) "
                            + "after layers that shrink"));
                }
                i++;
                continue;
            }
            if (!isLinear(layer)) {
                throw refusal(i, layer, replacementFor(layer));
            }
            int weightsLayer = i;
            OptionalInt activationLayer = OptionalInt.empty();
            boolean hidden;
            boolean emitsScale = false;
            IActivation activation = ((BaseLayer) layer).getActivationFn();
            if (layer instanceof IsotropicDenseLayer) {
                if (((IsotropicDenseLayer) layer).connectivity() != Connectivity.DENSE) {
                    throw new IllegalArgumentException("layer " + i + " (name \"" + layer.getLayerName() + "\") is "
                            + "stored sparsely (diagonal connectivity); surgery needs dense weights: operate on the "
                            + "network before sparsifying it");
                }
                hidden = true;
                emitsScale = true;
            } else if (activation instanceof IsotropicActivation) {
                hidden = true;
            } else if (activation instanceof ActivationIdentity && i + 1 < n
                    && isIsotropicActivationLayer(layer(configuration, i + 1))) {
                hidden = true;
                emitsScale = layer(configuration, i + 1) instanceof IsotropicActivationLayer;
                activationLayer = OptionalInt.of(i + 1);
                requireNoPreProcessor(configuration, i + 1, layer(configuration, i + 1));
                i++;
            } else if (i == n - 1 && (layer instanceof OutputLayer || layer instanceof DenseLayer)) {
                hidden = false;
            } else {
                throw refusal(i, layer, "must be an isotropic hidden layer, found activation " + activation
                        + "; use IsotropicDenseLayer, an Isotropic* activation, or an IDENTITY layer followed by an "
                        + "ActivationLayer with an Isotropic* activation"
                        + (i == n - 1 ? " (the last layer must be a dense output layer)" : ""));
            }
            units.add(unit(configuration, weightsLayer, activationLayer, hidden, emitsScale, previousEmitsScale,
                    units.isEmpty()));
            previousEmitsScale = emitsScale;
            i++;
        }
        if (units.size() < 2 || units.get(units.size() - 1).hidden()) {
            throw new IllegalArgumentException("surgery needs at least one isotropic hidden layer followed by a "
                    + "dense output layer (OutputLayer or DenseLayer with a non-isotropic activation), found "
                    + units.size() + " layers with weights" + (units.isEmpty() || !units.get(units.size() - 1)
                    .hidden() ? "" : ", the last of them isotropic"));
        }
        return new NetworkLayout(units);
    }

    private static Unit unit(MultiLayerConfiguration configuration, int i, OptionalInt activationLayer,
                             boolean hidden, boolean emitsScale, boolean previousEmitsScale, boolean first) {
        Layer layer = layer(configuration, i);
        InputPreProcessor pre = configuration.getInputPreProcess(i);
        Optional<CnnToFeedForwardPreProcessor> flatten = Optional.empty();
        ParameterArrangement arrangement = ParameterArrangement.DENSE;
        long multiplicity = 1;
        if (layer instanceof ConvolutionLayer) {
            ConvolutionLayer conv = (ConvolutionLayer) layer;
            if (!conv.hasBias()) {
                throw refusal(i, layer, "has no bias; surgery needs one (build it with hasBias(true))");
            }
            arrangement = ParameterArrangement.CONVOLUTION;
            multiplicity = (long) conv.getKernelSize()[0] * conv.getKernelSize()[1];
            if (pre != null && !first) {
                throw refusal(i, layer, "has an input preprocessor (" + pre.getClass().getSimpleName() + "); "
                        + "surgery supports none between isotropic layers");
            }
        } else if (pre instanceof CnnToFeedForwardPreProcessor) {
            CnnToFeedForwardPreProcessor cnn = (CnnToFeedForwardPreProcessor) pre;
            flatten = Optional.of(cnn);
            multiplicity = cnn.getInputHeight() * cnn.getInputWidth();
            if (cnn.getFormat() == CNN2DFormat.NHWC) {
                arrangement = ParameterArrangement.channelsLastFlatten(cnn.getNumChannels(), multiplicity);
            }
        } else if (pre != null && !first) {
            throw refusal(i, layer, "has an input preprocessor (" + pre.getClass().getSimpleName() + "); surgery "
                    + "supports only CnnToFeedForwardPreProcessor (the flatten after a convolution)");
        }
        if (layer instanceof DenseLayer && (((DenseLayer) layer).hasLayerNorm() || !((DenseLayer) layer).hasBias())) {
            throw refusal(i, layer, "has layer normalization or no bias; surgery needs a plain affine layer");
        }
        PsiSource psi = PsiSource.NONE;
        if (previousEmitsScale) {
            psi = layer instanceof IsotropicDenseLayer && ((IsotropicDenseLayer) layer).inputCarriesScale()
                    ? PsiSource.PARAMETER : PsiSource.WEIGHT_ROWS;
        }
        return new Unit(i, activationLayer, hidden, arrangement, multiplicity, psi, emitsScale, flatten,
                Optional.empty());
    }

    private static boolean isLinear(Layer layer) {
        // exact classes: Deconvolution2D, SeparableConvolution2D, DepthwiseConvolution2D, Convolution1DLayer and
        // Convolution3D extend ConvolutionLayer but lay out or mix channels differently
        return layer.getClass() == ConvolutionLayer.class || layer.getClass() == DenseLayer.class
                || layer.getClass() == OutputLayer.class || layer instanceof IsotropicDenseLayer;
    }

    private static boolean isIsotropicActivationLayer(Layer layer) {
        return layer instanceof IsotropicActivationLayer || layer instanceof ActivationLayer
                && ((ActivationLayer) layer).getActivationFn() instanceof IsotropicActivation;
    }

    /** Layers that commute with every rotation of the channels and have no parameters. */
    private static boolean isTransparent(Layer layer) {
        if (layer instanceof SubsamplingLayer && layer.getClass() == SubsamplingLayer.class) {
            return ((SubsamplingLayer) layer).getPoolingType() == PoolingType.AVG;
        }
        if (layer instanceof GlobalPoolingLayer) {
            return ((GlobalPoolingLayer) layer).getPoolingType() == PoolingType.AVG;
        }
        return layer instanceof ZeroPaddingLayer || layer instanceof Cropping2D
                || layer.getClass() == Upsampling2D.class || layer instanceof NormMaxPooling2D;
    }

    private static String replacementFor(Layer layer) {
        if (layer instanceof SubsamplingLayer || layer instanceof GlobalPoolingLayer) {
            return "pools each channel separately (" + poolingType(layer) + "), which does not commute with "
                    + "rotations of the channels; use PoolingType.AVG, or NormMaxPooling2D in place of max pooling";
        }
        if (layer instanceof BatchNormalization) {
            return "normalizes each channel separately, which does not commute with rotations of the channels; "
                    + "remove it (isotropic layers need no batch normalization)";
        }
        if (layer instanceof LocalResponseNormalization) {
            return "mixes neighbouring channel indices; remove it";
        }
        if (layer instanceof DropoutLayer) {
            return "drops channels independently, which does not commute with rotations; remove it";
        }
        if (layer instanceof ConvolutionLayer) {
            return "lays out or mixes channels differently from ConvolutionLayer; surgery supports ConvolutionLayer "
                    + "(2-D, any kernel, stride and padding), DenseLayer, IsotropicDenseLayer and OutputLayer";
        }
        return "is not supported by surgery; supported: ConvolutionLayer, DenseLayer, IsotropicDenseLayer and "
                + "OutputLayer, ActivationLayer with an Isotropic* activation, and between isotropic layers average "
                + "pooling, zero padding, cropping and upsampling";
    }

    private static String poolingType(Layer layer) {
        return layer instanceof SubsamplingLayer ? String.valueOf(((SubsamplingLayer) layer).getPoolingType())
                : String.valueOf(((GlobalPoolingLayer) layer).getPoolingType());
    }

    private static void requireNoPreProcessor(MultiLayerConfiguration configuration, int i, Layer layer) {
        InputPreProcessor pre = configuration.getInputPreProcess(i);
        if (pre != null) {
            throw refusal(i, layer, "has an input preprocessor (" + pre.getClass().getSimpleName() + "); surgery "
                    + "supports none between isotropic layers");
        }
    }

    private static IllegalArgumentException refusal(int i, Layer layer, String reason) {
        return new IllegalArgumentException("layer " + i + " (" + layer.getClass().getSimpleName() + ", name \""
                + layer.getLayerName() + "\") " + reason);
    }

    private static Layer layer(MultiLayerConfiguration configuration, int i) {
        return configuration.getConf(i).getLayer();
    }
}
