package org.dl4jisotropic.layers.conf;

import java.util.Collection;
import java.util.Objects;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.EmptyParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.dl4jisotropic.layers.activation.IsotropicActivation;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.runtime.IsotropicActivationLayerImpl;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A parameter-free layer that applies an isotropic activation over the channel (feature) axis and emits its scale
 * as one extra trailing channel, so that stock layers downstream can learn the psi correction as ordinary weights.
 *
 * <pre>
 *   q = ||a||^2 + o   (norm over the channels, per example and per position)
 *   s = sigma(sqrt(q)) / sqrt(q),   y = s a
 *   output = [y, s]:  [mb, n] -> [mb, n + 1];  NCHW [mb, C, H, W] -> [mb, C + 1, H, W];
 *                     NHWC [mb, H, W, C] -> [mb, H, W, C + 1]   (channel C is the scale map s)
 * </pre>
 * Backward, with {@code [g, gs] = dL/d[y, s]}: {@code dL/da = s g + 2 s'(q) (a . g + gs) a} (the last term carries
 * the scale channel's derivative {@code ds/da = 2 s'(q) a}), computed by {@code IsotropicKernel}.
 *
 * <p>Typical use, after a stock layer with the identity activation:
 * <pre>
 *   .layer(new ConvolutionLayer.Builder(5, 5).nOut(32).activation(Activation.IDENTITY).build())
 *   .layer(new IsotropicActivationLayer.Builder().activation(new IsotropicTanh(1e-6)).build())
 * </pre>
 * With {@code setInputType(...)} the next layer gets nIn = C + 1 (its weights for input channel C are the psi
 * kernel); a following {@link IsotropicDenseLayer} on feed-forward input recognizes the scale column (the output type
 * is an {@link IsotropicFeedForwardType}) and keeps psi as its own parameter.
 *
 * <p>Invariants: the activation's {@link FeatureAxis} agrees with the data format (CHANNELS_FIRST for NCHW,
 * CHANNELS_LAST for NHWC; either for feed-forward input, where both denote dimension 1), checked when the
 * configuration is built and again when the input type is set; the squared intrinsic length o is a configuration
 * constant (read it with {@link #squaredIntrinsicLength()}, change it on a copy with
 * {@link #withSquaredIntrinsicLength(double)}). Dropout is refused: it would break exact network surgery.
 * JSON-serializable with no registration.
 *
 * <p>Reference: G. Bird, arXiv:2602.23405; conv-graph design note, section A6 option 1.
 */
public class IsotropicActivationLayer extends NoParamLayer {

    private static final long serialVersionUID = 1L;

    @JsonProperty
    private IsotropicActivation activation;
    /** The CNN data format; null until set by the builder or inferred from a convolutional input type. */
    @JsonProperty
    private CNN2DFormat dataFormat;

    /** For JSON deserialization only. */
    protected IsotropicActivationLayer() {
        super();
    }

    private IsotropicActivationLayer(Builder builder) {
        super(builder);
        this.activation = builder.activation;
        this.dataFormat = builder.dataFormat;
    }

    /** The isotropic activation: profile, squared intrinsic length o and feature axis. */
    public IsotropicActivation activation() {
        return activation;
    }

    /** The squared intrinsic length o of the activation. */
    public double squaredIntrinsicLength() {
        return activation.squaredIntrinsicLength();
    }

    /**
     * A copy of this configuration with another squared intrinsic length, everything else equal (what surgery
     * writes into its cloned configuration after removing a constant channel: {@code o <- o + b*^2}). This instance
     * is not changed.
     *
     * @param squaredIntrinsicLength the new o; finite and &gt;= 0
     * @return the copy
     * @throws IllegalArgumentException if o is negative or not finite
     */
    public IsotropicActivationLayer withSquaredIntrinsicLength(double squaredIntrinsicLength) {
        IsotropicActivation changed = activation.withSquaredIntrinsicLength(squaredIntrinsicLength);
        IsotropicActivationLayer copy = clone();
        copy.activation = changed;
        return copy;
    }

    /**
     * The data format of convolutional input: as set on the builder, else as inferred from the input type, else
     * DL4J's default NCHW. Irrelevant for feed-forward input.
     */
    public CNN2DFormat dataFormat() {
        return dataFormat == null ? CNN2DFormat.NCHW : dataFormat;
    }

    /** The data format as set on the builder or inferred from the input type; null if neither happened. */
    CNN2DFormat explicitDataFormat() {
        return dataFormat;
    }

    /**
     * The dimension of an input of the given rank that holds the channels (and receives the scale channel):
     * 1 for {@code [mb, n]} and NCHW, 3 for NHWC.
     *
     * @param rank 2 (feed-forward) or 4 (convolutional)
     * @throws IllegalArgumentException for any other rank
     */
    public int channelDimension(int rank) {
        if (rank == 2) {
            return 1;
        }
        if (rank == 4) {
            return dataFormat() == CNN2DFormat.NCHW ? 1 : 3;
        }
        throw new IllegalArgumentException(describe(-1) + " takes [mb, n] or [mb, C, H, W] / [mb, H, W, C] input, "
                + "found rank " + rank);
    }

    @Override
    public IsotropicActivationLayer clone() {
        return (IsotropicActivationLayer) super.clone();
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        validate(layerIndex);
        IsotropicActivationLayerImpl layer = new IsotropicActivationLayerImpl(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    // JSON bypasses the builder, so the configuration is checked again when the layer is created.
    private void validate(int layerIndex) {
        if (activation == null) {
            throw new IllegalStateException(describe(layerIndex) + ": activation must be an IsotropicActivation, "
                    + "found null");
        }
        if (dataFormat != null) {
            requireAxisMatches(dataFormat, layerIndex);
        }
        if (getIDropout() != null) {
            throw new IllegalStateException(describe(layerIndex) + ": dropout is not supported (it would break the "
                    + "exact rotations of network surgery); remove .dropOut(...) from this layer or the global config");
        }
    }

    @Override
    public ParamInitializer initializer() {
        return EmptyParamInitializer.getInstance();
    }

    /**
     * Feed-forward {@code n} gives an {@link IsotropicFeedForwardType} of size {@code n + 1}; convolutional
     * {@code [C, H, W]} gives {@code [C + 1, H, W]} in the same format.
     *
     * @throws IllegalArgumentException if the activation's feature axis does not match the input's data format
     * @throws IllegalStateException    for any other kind of input
     */
    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType instanceof InputType.InputTypeFeedForward) {
            return new IsotropicFeedForwardType(((InputType.InputTypeFeedForward) inputType).getSize());
        }
        if (inputType instanceof InputType.InputTypeConvolutional) {
            InputType.InputTypeConvolutional cnn = (InputType.InputTypeConvolutional) inputType;
            requireAxisMatches(cnn.getFormat(), layerIndex);
            return InputType.convolutional(cnn.getHeight(), cnn.getWidth(), cnn.getChannels() + 1, cnn.getFormat());
        }
        throw new IllegalStateException(describe(layerIndex) + " takes feed-forward or convolutional input, found "
                + inputType);
    }

    /** Adopts the data format of a convolutional input type (as DL4J's ConvolutionLayer does) and checks the axis. */
    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (inputType instanceof InputType.InputTypeConvolutional) {
            CNN2DFormat format = ((InputType.InputTypeConvolutional) inputType).getFormat();
            requireAxisMatches(format, -1);
            this.dataFormat = format;
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        return new LayerMemoryReport.Builder(layerName, IsotropicActivationLayer.class, inputType, outputType)
                .standardMemory(0, 0)
                .workingMemory(0, 0, 0, outputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    private void requireAxisMatches(CNN2DFormat format, int layerIndex) {
        FeatureAxis required = FeatureAxisCheck.requiredAxis(format);
        if (activation != null && activation.featureAxis() != required) {
            throw new IllegalArgumentException(describe(layerIndex) + ": activation " + activation
                    + " takes its norm over " + activation.featureAxis() + " but the data format is " + format
                    + ", whose channels are " + required + "; use " + activation.getClass().getSimpleName()
                    + "(o, FeatureAxis." + required + ")");
        }
    }

    private String describe(int layerIndex) {
        return "IsotropicActivationLayer (" + (layerIndex >= 0 ? "index " + layerIndex + ", " : "") + "name \""
                + getLayerName() + "\")";
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof IsotropicActivationLayer) || !super.equals(o)) {
            return false;
        }
        IsotropicActivationLayer that = (IsotropicActivationLayer) o;
        return Objects.equals(activation, that.activation) && dataFormat == that.dataFormat;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), activation, dataFormat);
    }

    @Override
    public String toString() {
        return "IsotropicActivationLayer(name=" + getLayerName() + ", activation=" + activation + ", dataFormat="
                + dataFormat + ")";
    }

    /** Builder; the default activation is {@code IsotropicTanh(1e-6, CHANNELS_FIRST)}. */
    public static class Builder extends org.deeplearning4j.nn.conf.layers.Layer.Builder<Builder> {

        private IsotropicActivation activation = new IsotropicTanh(IntrinsicLength.DEFAULT_SQUARED_LENGTH);
        private CNN2DFormat dataFormat;

        /**
         * The isotropic activation; it carries the profile, the squared intrinsic length o and the feature axis
         * (CHANNELS_LAST for NHWC data).
         */
        public Builder activation(IsotropicActivation activation) {
            this.activation = Objects.requireNonNull(activation, "activation");
            return this;
        }

        /**
         * The data format of convolutional input. Optional: {@code setInputType(...)} infers it; when set here it is
         * checked against the activation's axis at {@link #build()}.
         */
        public Builder dataFormat(CNN2DFormat dataFormat) {
            this.dataFormat = Objects.requireNonNull(dataFormat, "dataFormat");
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalArgumentException if a data format is set and the activation's feature axis does not match
         */
        @Override
        @SuppressWarnings("unchecked")
        public IsotropicActivationLayer build() {
            IsotropicActivationLayer layer = new IsotropicActivationLayer(this);
            if (dataFormat != null) {
                layer.requireAxisMatches(dataFormat, -1);
            }
            return layer;
        }
    }
}
