package org.dl4jisotropic.layers.conf;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.EmptyParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jisotropic.layers.runtime.NormMaxPooling2DImpl;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Norm-max pooling: a rotation-equivariant replacement for max pooling. In each pooling window it keeps the whole
 * channel vector of the one position whose channel vector has the largest Euclidean norm.
 *
 * <pre>
 *   p*(window) = argmax over positions p in the window of ||x[:, p]||    (all channels, a scale channel included;
 *                                                                         ties: the first position in row-major order)
 *   out[:, window] = x[:, p*(window)]
 *   dL/dx[:, p] = sum over the windows that selected p of dL/dout[:, window]
 * </pre>
 * Because the norm of a channel vector is invariant under an orthogonal map R of the channels, the selected position
 * is too, so {@code pool(R x) = R pool(x)}: unlike DL4J's per-channel MAX pooling, this layer may sit between an
 * isotropic layer and its consumer without breaking exact network surgery. Windows: kernel and stride in
 * {@link ConvolutionMode#Truncate} (or Strict) and {@link ConvolutionMode#Same} (output {@code ceil(in / stride)},
 * DL4J's top-left padding; padded positions are never selected), NCHW and NHWC (inferred from the input type, like
 * DL4J's SubsamplingLayer).
 *
 * <p>No parameters; the output has the input's channel count. JSON-serializable with no registration.
 */
public class NormMaxPooling2D extends NoParamLayer {

    private static final long serialVersionUID = 1L;

    @JsonProperty
    private int[] kernelSize = {2, 2};
    @JsonProperty
    private int[] stride = {2, 2};
    @JsonProperty
    private ConvolutionMode convolutionMode = ConvolutionMode.Truncate;
    @JsonProperty
    private CNN2DFormat dataFormat = CNN2DFormat.NCHW;

    /** For JSON deserialization only. */
    protected NormMaxPooling2D() {
        super();
    }

    private NormMaxPooling2D(Builder builder) {
        super(builder);
        this.kernelSize = builder.kernelSize.clone();
        this.stride = builder.stride.clone();
        this.convolutionMode = builder.convolutionMode;
        this.dataFormat = builder.dataFormat;
    }

    /** Window height and width. */
    public int[] kernelSize() {
        return kernelSize.clone();
    }

    /** Step between windows, vertical and horizontal. */
    public int[] stride() {
        return stride.clone();
    }

    /** Truncate (or Strict): windows inside the input; Same: output {@code ceil(in / stride)} with padding. */
    public ConvolutionMode convolutionMode() {
        return convolutionMode;
    }

    /** NCHW or NHWC; inferred from the input type when one is set. */
    public CNN2DFormat dataFormat() {
        return dataFormat;
    }

    @Override
    public NormMaxPooling2D clone() {
        NormMaxPooling2D copy = (NormMaxPooling2D) super.clone();
        copy.kernelSize = kernelSize.clone();
        copy.stride = stride.clone();
        return copy;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        validate(kernelSize, stride, convolutionMode, dataFormat, describe(layerIndex));
        NormMaxPooling2DImpl layer = new NormMaxPooling2DImpl(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return EmptyParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional)) {
            throw new IllegalStateException(describe(layerIndex) + " takes convolutional input, found " + inputType);
        }
        InputType.InputTypeConvolutional cnn = (InputType.InputTypeConvolutional) inputType;
        return InputTypeUtil.getOutputTypeCnnLayers(inputType, kernelSize, stride, new int[] {0, 0},
                new int[] {1, 1}, convolutionMode, cnn.getChannels(), layerIndex, getLayerName(), cnn.getFormat(),
                NormMaxPooling2D.class);
    }

    /** Adopts the data format of a convolutional input type, as DL4J's SubsamplingLayer does. */
    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (inputType instanceof InputType.InputTypeConvolutional) {
            this.dataFormat = ((InputType.InputTypeConvolutional) inputType).getFormat();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        return new LayerMemoryReport.Builder(layerName, NormMaxPooling2D.class, inputType, outputType)
                .standardMemory(0, 0)
                .workingMemory(0, inputType.arrayElementsPerExample(), 0, outputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    private String describe(int layerIndex) {
        return "NormMaxPooling2D (" + (layerIndex >= 0 ? "index " + layerIndex + ", " : "") + "name \""
                + getLayerName() + "\")";
    }

    private static void validate(int[] kernelSize, int[] stride, ConvolutionMode mode, CNN2DFormat format,
                                 String where) {
        if (kernelSize == null || kernelSize.length != 2 || kernelSize[0] < 1 || kernelSize[1] < 1) {
            throw new IllegalArgumentException(where + ": kernelSize must be two values >= 1, found "
                    + Arrays.toString(kernelSize));
        }
        if (stride == null || stride.length != 2 || stride[0] < 1 || stride[1] < 1) {
            throw new IllegalArgumentException(where + ": stride must be two values >= 1, found "
                    + Arrays.toString(stride));
        }
        if (mode != ConvolutionMode.Truncate && mode != ConvolutionMode.Strict && mode != ConvolutionMode.Same) {
            throw new IllegalArgumentException(where + ": convolutionMode must be Truncate, Strict or Same, found "
                    + mode);
        }
        Objects.requireNonNull(format, "dataFormat");
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NormMaxPooling2D) || !super.equals(o)) {
            return false;
        }
        NormMaxPooling2D that = (NormMaxPooling2D) o;
        return Arrays.equals(kernelSize, that.kernelSize) && Arrays.equals(stride, that.stride)
                && convolutionMode == that.convolutionMode && dataFormat == that.dataFormat;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), Arrays.hashCode(kernelSize), Arrays.hashCode(stride), convolutionMode,
                dataFormat);
    }

    @Override
    public String toString() {
        return "NormMaxPooling2D(name=" + getLayerName() + ", kernelSize=" + Arrays.toString(kernelSize) + ", stride="
                + Arrays.toString(stride) + ", convolutionMode=" + convolutionMode + ", dataFormat=" + dataFormat
                + ")";
    }

    /** Builder; defaults: 2x2 kernel, stride 2, Truncate, NCHW (or the input type's format). */
    public static class Builder extends org.deeplearning4j.nn.conf.layers.Layer.Builder<Builder> {

        private int[] kernelSize = {2, 2};
        private int[] stride = {2, 2};
        private ConvolutionMode convolutionMode = ConvolutionMode.Truncate;
        private CNN2DFormat dataFormat = CNN2DFormat.NCHW;

        /** Window height and width; default 2 x 2. */
        public Builder kernelSize(int height, int width) {
            this.kernelSize = new int[] {height, width};
            return this;
        }

        /** Step between windows; default 2, 2. */
        public Builder stride(int vertical, int horizontal) {
            this.stride = new int[] {vertical, horizontal};
            return this;
        }

        /** Truncate (default), Strict or Same. */
        public Builder convolutionMode(ConvolutionMode convolutionMode) {
            this.convolutionMode = Objects.requireNonNull(convolutionMode, "convolutionMode");
            return this;
        }

        /** NCHW (default) or NHWC; {@code setInputType(...)} replaces it with the input type's format. */
        public Builder dataFormat(CNN2DFormat dataFormat) {
            this.dataFormat = Objects.requireNonNull(dataFormat, "dataFormat");
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalArgumentException if a kernel size or stride is below 1, or the mode is not Truncate,
         *                                  Strict or Same
         */
        @Override
        @SuppressWarnings("unchecked")
        public NormMaxPooling2D build() {
            validate(kernelSize, stride, convolutionMode, dataFormat,
                    "NormMaxPooling2D (name \"" + layerName + "\")");
            return new NormMaxPooling2D(this);
        }
    }
}
