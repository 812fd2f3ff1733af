package org.dl4jisotropic.layers.conf;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.dl4jisotropic.core.activation.IsotropicProfile;
import org.dl4jisotropic.layers.init.OrthogonalInit;
import org.dl4jisotropic.layers.runtime.IsotropicDenseLayerImpl;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Configuration of a fully connected isotropic layer: the full model of the paper, with intrinsic length and the
 * psi linear correction.
 *
 * <pre>
 *   a = W y_prev + b + psi s_prev        (psi only when the input comes from another isotropic layer)
 *   q = ||a||^2 + o,   s = sigma(sqrt(q)) / sqrt(q),   y = s a
 *   output = [y, s]                       (nOut + 1 columns: the scale travels as a trailing column)
 * </pre>
 * The scale column lets the next layer apply the psi correction without any special wiring: a following
 * {@code IsotropicDenseLayer} keeps psi as its own parameter {@value IsotropicDenseParamInitializer#PSI_KEY} (with
 * its own L2 penalty), a following stock {@code DenseLayer} or {@code OutputLayer} learns psi as the last row of
 * its weight matrix. With {@code setInputType(...)} every nIn is inferred; nIn counts the neurons of the previous
 * layer, without the scale column.
 *
 * <p>Parameters, in flat order: {@code W [nIn, nOut]} (or {@code d [1, min(nIn, nOut)]} with
 * {@link Connectivity#DIAGONAL}), {@code psi [1, nOut]} (if the input carries a scale),
 * {@code b [nOut]}, and {@code o [1]} (constant mode: its gradient is reported but a zero-rate updater keeps it
 * fixed; only surgery changes it) or {@code lambda [1]}
 * (trainable mode, o = exp(lambda), no regularization). Defaults follow the paper's runs: isotropic tanh,
 * trainable o starting at 1e-6, orthogonal weights, zero bias and psi. Dropout and weight noise are not supported.
 *
 * <p>Reference: G. Bird, arXiv:2602.23405, sections "linear correction" and "intrinsic length".
 */
public class IsotropicDenseLayer extends FeedForwardLayer {

    private static final long serialVersionUID = 1L;

    // DL4J's mapper detects properties through getters; these fields have record-style accessors instead.
    @JsonProperty
    private IsotropicProfile profile = IsotropicProfile.TANH;
    @JsonProperty
    private IntrinsicLength.Mode intrinsicLengthMode = IntrinsicLength.Mode.TRAINABLE;
    @JsonProperty
    private double initialSquaredLength = IntrinsicLength.DEFAULT_SQUARED_LENGTH;
    @JsonProperty
    private double psiL2;
    @JsonProperty
    private boolean inputCarriesScale;
    @JsonProperty
    private Connectivity connectivity = Connectivity.DENSE;

    /** For JSON deserialization only. */
    protected IsotropicDenseLayer() {
        super();
    }

    private IsotropicDenseLayer(Builder builder) {
        super(builder);
        this.profile = builder.profile;
        this.intrinsicLengthMode = builder.intrinsicLength.mode();
        this.initialSquaredLength = builder.intrinsicLength.squaredLength();
        this.psiL2 = builder.psiL2;
        this.inputCarriesScale = builder.inputCarriesScale;
        this.connectivity = builder.connectivity;
        initializeConstraints(builder);
    }

    /** The radial profile sigma. */
    public IsotropicProfile profile() {
        return profile;
    }

    /** The intrinsic length mode and its initial squared value. */
    public IntrinsicLength intrinsicLength() {
        return new IntrinsicLength(intrinsicLengthMode, initialSquaredLength);
    }

    /** L2 coefficient of the penalty on psi (0 for none). */
    public double psiL2() {
        return psiL2;
    }

    /** Whether the input's last column is the previous isotropic layer's scale (then this layer has psi). */
    public boolean inputCarriesScale() {
        return inputCarriesScale;
    }

    /** Dense weights, or one weight per connection (a sparsified, fully diagonalized layer). */
    public Connectivity connectivity() {
        return connectivity == null ? Connectivity.DENSE : connectivity;
    }

    /**
     * A copy of this configuration with diagonal connectivity: weights {@code d [1, min(nIn, nOut)]}, everything else
     * equal. Used to store fully diagonalized layers sparsely.
     */
    public IsotropicDenseLayer withDiagonalConnectivity() {
        IsotropicDenseLayer copy = (IsotropicDenseLayer) clone();
        copy.connectivity = Connectivity.DIAGONAL;
        return copy;
    }

    /** Number of input columns: nIn, plus one for the scale column when the input carries one. */
    public long inputColumns() {
        return nIn + (inputCarriesScale ? 1 : 0);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("IsotropicDenseLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        validate(layerIndex);
        IsotropicDenseLayerImpl layer = new IsotropicDenseLayerImpl(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    // JSON bypasses the builder, so the configuration is checked again when the layer is created.
    private void validate(int layerIndex) {
        String where = "IsotropicDenseLayer (index " + layerIndex + ", name \"" + getLayerName() + "\")";
        if (profile == null) {
            throw new IllegalStateException(where + ": profile must be set, found null");
        }
        try {
            intrinsicLength();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ": " + e.getMessage(), e);
        }
        if (!(psiL2 >= 0.0) || Double.isInfinite(psiL2)) {
            throw new IllegalStateException(where + ": psiL2 must be finite and >= 0, found " + psiL2);
        }
        if (getIDropout() != null) {
            throw new IllegalStateException(where + ": dropout is not supported (it would break the exact "
                    + "rotations of network surgery); remove .dropOut(...) from this layer or the global config");
        }
        if (getWeightNoise() != null) {
            throw new IllegalStateException(where + ": weight noise is not supported; remove .weightNoise(...)");
        }
    }

    @Override
    public ParamInitializer initializer() {
        return IsotropicDenseParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType == null || inputType.getType() != InputType.Type.FF) {
            throw new IllegalStateException("IsotropicDenseLayer (index " + layerIndex + ", name \"" + getLayerName()
                    + "\") needs feed-forward input, found " + inputType);
        }
        return new IsotropicFeedForwardType(nOut);
    }

    /**
     * Sets nIn from the input type: an {@link IsotropicFeedForwardType} input gives nIn = its neurons and switches
     * the psi parameter on; any other feed-forward input gives nIn = its size.
     */
    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn > 0 && !override) {
            return;
        }
        if (inputType instanceof IsotropicFeedForwardType) {
            nIn = ((IsotropicFeedForwardType) inputType).neurons();
            inputCarriesScale = true;
        } else if (inputType != null && inputType.getType() == InputType.Type.FF) {
            nIn = ((InputType.InputTypeFeedForward) inputType).getSize();
            inputCarriesScale = false;
        } else {
            throw new IllegalStateException("IsotropicDenseLayer (name \"" + getLayerName()
                    + "\") needs feed-forward input, found " + inputType);
        }
    }

    /**
     * A constant intrinsic length is frozen with a zero-learning-rate SGD updater (DL4J's {@code NoOp} would apply
     * the raw gradient); everything else uses the layer's updater.
     */
    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        if (IsotropicDenseParamInitializer.INTRINSIC_LENGTH_KEY.equals(paramName)) {
            return new Sgd(0.0);
        }
        return super.getUpdaterByParam(paramName);
    }

    /** W uses the layer's regularization, b the bias regularization, psi its own L2, o and lambda none. */
    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        switch (paramName) {
            case IsotropicDenseParamInitializer.WEIGHT_KEY:
            case IsotropicDenseParamInitializer.DIAGONAL_KEY:
                return regularization;
            case IsotropicDenseParamInitializer.BIAS_KEY:
                return regularizationBias;
            case IsotropicDenseParamInitializer.PSI_KEY:
                return psiL2 > 0 ? List.of(new L2Regularization(psiL2)) : List.of();
            default:
                return List.of();
        }
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        long updaterStateSize = getIUpdater() == null ? 0 : getIUpdater().stateSize(numParams);
        return new LayerMemoryReport.Builder(layerName, IsotropicDenseLayer.class, inputType, outputType)
                .standardMemory(numParams, updaterStateSize)
                .workingMemory(0, 0, 0, 2 * outputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof IsotropicDenseLayer) || !super.equals(o)) {
            return false;
        }
        IsotropicDenseLayer that = (IsotropicDenseLayer) o;
        return profile == that.profile && intrinsicLengthMode == that.intrinsicLengthMode
                && Double.compare(initialSquaredLength, that.initialSquaredLength) == 0
                && Double.compare(psiL2, that.psiL2) == 0 && inputCarriesScale == that.inputCarriesScale
                && connectivity() == that.connectivity();
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), profile, intrinsicLengthMode, initialSquaredLength, psiL2,
                inputCarriesScale, connectivity());
    }

    @Override
    public String toString() {
        return "IsotropicDenseLayer(name=" + getLayerName() + ", nIn=" + nIn + ", nOut=" + nOut + ", profile="
                + profile + ", intrinsicLength=" + intrinsicLengthMode + "(" + initialSquaredLength + "), psiL2="
                + psiL2 + ", inputCarriesScale=" + inputCarriesScale + ", connectivity=" + connectivity()
                + ", updater=" + getIUpdater() + ")";
    }

    /** Builder; defaults follow the paper's runs. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {

        private IsotropicProfile profile = IsotropicProfile.TANH;
        private IntrinsicLength intrinsicLength = IntrinsicLength.trainable(IntrinsicLength.DEFAULT_SQUARED_LENGTH);
        private double psiL2;
        private boolean inputCarriesScale;
        private Connectivity connectivity = Connectivity.DENSE;

        /** Starts with orthogonal weights, zero bias, isotropic tanh and trainable o = 1e-6. */
        public Builder() {
            this.weightInitFn = new OrthogonalInit();
            this.biasInit = 0.0;
        }

        /** The radial profile sigma. Default {@link IsotropicProfile#TANH}. */
        public Builder profile(IsotropicProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /**
         * How the intrinsic length behaves and its starting value. Default
         * {@code IntrinsicLength.trainable(1e-6)}.
         */
        public Builder intrinsicLength(IntrinsicLength intrinsicLength) {
            this.intrinsicLength = Objects.requireNonNull(intrinsicLength, "intrinsicLength");
            return this;
        }

        /** L2 coefficient for psi (the paper uses 0.1). Default 0: no penalty. */
        public Builder psiL2(double psiL2) {
            this.psiL2 = psiL2;
            return this;
        }

        /**
         * Whether the input's last column is a scale column from a previous isotropic layer. Only needed when nIn
         * is set by hand: {@code setInputType(...)} infers it. Default false.
         */
        public Builder inputCarriesScale(boolean inputCarriesScale) {
            this.inputCarriesScale = inputCarriesScale;
            return this;
        }

        /** Dense weights (default) or one weight per connection, {@link Connectivity#DIAGONAL}. */
        public Builder connectivity(Connectivity connectivity) {
            this.connectivity = Objects.requireNonNull(connectivity, "connectivity");
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalArgumentException if nOut is set and not positive, or psiL2 is negative or not finite
         */
        @Override
        @SuppressWarnings("unchecked")
        public IsotropicDenseLayer build() {
            if (nOut != 0 && nOut < 1) {
                throw new IllegalArgumentException("nOut must be >= 1, found " + nOut);
            }
            if (nIn < 0) {
                throw new IllegalArgumentException("nIn must be >= 1 (or unset, to infer it), found " + nIn);
            }
            if (!(psiL2 >= 0.0) || Double.isInfinite(psiL2)) {
                throw new IllegalArgumentException("psiL2 must be finite and >= 0, found " + psiL2);
            }
            return new IsotropicDenseLayer(this);
        }
    }
}
