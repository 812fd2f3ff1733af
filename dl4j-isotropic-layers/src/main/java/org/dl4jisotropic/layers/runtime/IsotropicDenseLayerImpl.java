package org.dl4jisotropic.layers.runtime;

import java.util.Arrays;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.core.activation.IsotropicForward;
import org.dl4jisotropic.core.activation.IsotropicGradient;
import org.dl4jisotropic.core.activation.IsotropicKernel;
import org.dl4jisotropic.layers.conf.Connectivity;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.conf.IsotropicDenseParamInitializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runtime of {@link IsotropicDenseLayer}: forward pass {@code [y, s]} and hand-written backward pass (no SameDiff,
 * whose DL4J layer bridge doubles gradients in 1.0.0-M2.1).
 *
 * <p>Backward, with {@code [g, gs] = dL/d[y, s]}: {@code delta = dL/da} from {@link IsotropicKernel#backward}; then
 * {@code dW = x^T delta} (diagonal connectivity: {@code dd_i = sum x_i delta_i}), {@code db = sum(delta)}, {@code dpsi = s_prev^T delta}, {@code do = sum s'(q)(a.g + gs)}
 * (times o for lambda = log o), and the gradient passed down is {@code [delta W^T, delta psi^T]}.
 *
 * <p>A training forward pass keeps its pre-activation {@code a} for the backward pass, which then skips
 * recomputing {@code x W + b (+ s_prev psi)} (a matrix product as large as the forward's). The kept array lives in
 * DL4J's INPUT workspace, like BatchNormalization's cached statistics, so it lives exactly as long as the layer's
 * input. It is used only by a backward pass on the very input array it was computed from, at most once (the backward
 * overwrites it), and is dropped when parameters are set or the layer is cleared; otherwise the backward recomputes.
 */
public class IsotropicDenseLayerImpl extends org.deeplearning4j.nn.layers.BaseLayer<IsotropicDenseLayer> {

    private static final long serialVersionUID = 1L;

    /** The pre-activation of the last training forward pass, or null; see the class comment. */
    private transient INDArray keptPreActivation;
    /** The input array {@link #keptPreActivation} was computed from (compared by identity). */
    private transient INDArray keptForInput;

    /**
     * Creates the runtime layer; DL4J calls this from {@link IsotropicDenseLayer#instantiate}.
     *
     * @param conf     the layer's configuration
     * @param dataType the network's dtype
     */
    public IsotropicDenseLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The current squared intrinsic length o. */
    public double squaredIntrinsicLength() {
        switch (layerConf().intrinsicLength().mode()) {
            case CONSTANT:
                return getParam(IsotropicDenseParamInitializer.INTRINSIC_LENGTH_KEY).getDouble(0);
            case TRAINABLE:
                return Math.exp(getParam(IsotropicDenseParamInitializer.LOG_INTRINSIC_LENGTH_KEY).getDouble(0));
            default:
                return 0.0;
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        forgetForwardPass();
        INDArray a = preActivation(training ? workspaceMgr : null);
        IsotropicForward forward = kernel().forward(a, squaredIntrinsicLength());
        long nOut = layerConf().getNOut();
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, a.size(0), nOut + 1);
        out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, nOut)).assign(forward.output());
        out.get(NDArrayIndex.all(), NDArrayIndex.interval(nOut, nOut + 1)).assign(forward.scale());
        if (maskArray != null) {
            applyMask(out);
        }
        if (training) {
            keptPreActivation = a;
            keptForInput = input;
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        IsotropicDenseLayer conf = layerConf();
        long nIn = conf.getNIn();
        long nOut = conf.getNOut();
        if (epsilon.rank() != 2 || epsilon.size(1) != nOut + 1) {
            throw new DL4JInvalidInputException("epsilon must have shape [mb, " + (nOut + 1) + "] (nOut + the scale "
                    + "column), found " + Arrays.toString(epsilon.shape()) + " " + layerId());
        }
        INDArray a = keptPreActivation != null && keptForInput == input ? keptPreActivation : preActivation(null);
        forgetForwardPass();   // the backward below overwrites a
        double o = squaredIntrinsicLength();
        INDArray g = epsilon.get(NDArrayIndex.all(), NDArrayIndex.interval(0, nOut)).castTo(dataType);
        INDArray gs = epsilon.get(NDArrayIndex.all(), NDArrayIndex.interval(nOut, nOut + 1)).castTo(dataType);
        IsotropicGradient gradient = kernel().backwardInPlace(a, g, gs, o);   // a is this call's own
        INDArray delta = gradient.input();
        if (maskArray != null) {
            applyMask(delta);
        }

        INDArray x = input.castTo(dataType);
        INDArray features = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, nIn));
        Gradient result = new DefaultGradient();
        // every column is written below, except those a diagonal layer leaves at zero
        INDArray epsilonNext = conf.connectivity() == Connectivity.DIAGONAL
                ? workspaceMgr.create(ArrayType.ACTIVATION_GRAD, dataType, a.size(0), conf.inputColumns())
                : workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, a.size(0),
                        conf.inputColumns());
        INDArray featureEpsilon = epsilonNext.get(NDArrayIndex.all(), NDArrayIndex.interval(0, nIn));
        if (conf.connectivity() == Connectivity.DIAGONAL) {
            long k = Math.min(nIn, nOut);
            INDArray d = getParam(IsotropicDenseParamInitializer.DIAGONAL_KEY);
            INDArray deltaK = delta.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k));
            INDArray diagonalGrad = gradientViews.get(IsotropicDenseParamInitializer.DIAGONAL_KEY);
            diagonalGrad.assign(features.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k)).mul(deltaK).sum(true, 0));
            result.gradientForVariable().put(IsotropicDenseParamInitializer.DIAGONAL_KEY, diagonalGrad);
            featureEpsilon.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k)).assign(deltaK.mulRowVector(d));
        } else {
            INDArray weightGrad = gradientViews.get(IsotropicDenseParamInitializer.WEIGHT_KEY);
            Nd4j.gemm(features, delta, weightGrad, true, false, 1.0, 0.0);
            result.gradientForVariable().put(IsotropicDenseParamInitializer.WEIGHT_KEY, weightGrad);
            INDArray weights = getParam(IsotropicDenseParamInitializer.WEIGHT_KEY);
            if (conf.inputCarriesScale()) {
                featureEpsilon.assign(delta.mmul(weights.transpose()));   // a strided view: gemm cannot write it
            } else {
                Nd4j.gemm(delta, weights, epsilonNext, false, true, 1.0, 0.0);
            }
        }
        if (conf.inputCarriesScale()) {
            INDArray scaleIn = x.get(NDArrayIndex.all(), NDArrayIndex.interval(nIn, nIn + 1));
            INDArray psiGrad = gradientViews.get(IsotropicDenseParamInitializer.PSI_KEY);
            Nd4j.gemm(scaleIn, delta, psiGrad, true, false, 1.0, 0.0);
            result.gradientForVariable().put(IsotropicDenseParamInitializer.PSI_KEY, psiGrad);
            INDArray psi = getParam(IsotropicDenseParamInitializer.PSI_KEY);
            epsilonNext.get(NDArrayIndex.all(), NDArrayIndex.interval(nIn, nIn + 1))
                    .assign(delta.mmul(psi.transpose()));
        }

        // The order of entries must follow the flat parameter order: DL4J's updater relies on it.
        INDArray biasGrad = gradientViews.get(IsotropicDenseParamInitializer.BIAS_KEY);
        biasGrad.assign(delta.sum(0).reshape(biasGrad.shape()));
        result.gradientForVariable().put(IsotropicDenseParamInitializer.BIAS_KEY, biasGrad);

        switch (conf.intrinsicLength().mode()) {
            case CONSTANT: {
                INDArray view = gradientViews.get(IsotropicDenseParamInitializer.INTRINSIC_LENGTH_KEY);
                view.assign(gradient.intrinsicLength());
                result.gradientForVariable().put(IsotropicDenseParamInitializer.INTRINSIC_LENGTH_KEY, view);
                break;
            }
            case TRAINABLE: {
                INDArray view = gradientViews.get(IsotropicDenseParamInitializer.LOG_INTRINSIC_LENGTH_KEY);
                view.assign(gradient.intrinsicLength() * o);
                result.gradientForVariable().put(IsotropicDenseParamInitializer.LOG_INTRINSIC_LENGTH_KEY, view);
                break;
            }
            default:
                break;
        }
        return new Pair<>(result, epsilonNext);
    }

    /**
     * {@code a = x W + b (+ s_prev psi)}, validated against the configured input width.
     *
     * @param keep the workspace manager whose INPUT workspace receives {@code a} so that it outlives this call (a
     *             training forward pass), or null for a temporary array
     */
    private INDArray preActivation(LayerWorkspaceMgr keep) {
        IsotropicDenseLayer conf = layerConf();
        long nIn = conf.getNIn();
        if (input.rank() != 2 || input.size(1) != conf.inputColumns()) {
            throw new DL4JInvalidInputException("input must have shape [mb, " + conf.inputColumns() + "] ("
                    + (conf.inputCarriesScale() ? "nIn = " + nIn + " plus the previous isotropic layer's scale "
                    + "column" : "nIn = " + nIn) + "), found " + Arrays.toString(input.shape()) + " " + layerId());
        }
        INDArray x = input.castTo(dataType);
        INDArray features = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, nIn));
        INDArray a;
        if (conf.connectivity() == Connectivity.DIAGONAL) {
            long k = Math.min(nIn, conf.getNOut());
            a = keep == null ? Nd4j.zeros(dataType, x.size(0), conf.getNOut())
                    : keep.create(ArrayType.INPUT, dataType, x.size(0), conf.getNOut());
            a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k)).assign(features
                    .get(NDArrayIndex.all(), NDArrayIndex.interval(0, k))
                    .mulRowVector(getParam(IsotropicDenseParamInitializer.DIAGONAL_KEY)));
        } else {
            INDArray weights = getParam(IsotropicDenseParamInitializer.WEIGHT_KEY);
            a = keep == null ? features.mmul(weights)
                    : features.mmuli(weights, keep.createUninitialized(ArrayType.INPUT, dataType, x.size(0),
                            conf.getNOut()));
        }
        a.addiRowVector(getParam(IsotropicDenseParamInitializer.BIAS_KEY));
        if (conf.inputCarriesScale()) {
            INDArray scaleIn = x.get(NDArrayIndex.all(), NDArrayIndex.interval(nIn, nIn + 1));
            // a += s_prev psi: one rank-1 gemm accumulating into a, no temporary
            Nd4j.gemm(scaleIn, getParam(IsotropicDenseParamInitializer.PSI_KEY), a, false, false, 1.0, 1.0);
        }
        return a;
    }

    /** Drops the kept pre-activation: the next backward pass recomputes it. */
    private void forgetForwardPass() {
        keptPreActivation = null;
        keptForInput = null;
    }

    @Override
    public void setParam(String key, INDArray val) {
        forgetForwardPass();
        super.setParam(key, val);
    }

    @Override
    protected void setParams(INDArray params, char order) {
        forgetForwardPass();
        super.setParams(params, order);
    }

    @Override
    public void setParamsViewArray(INDArray params) {
        forgetForwardPass();
        super.setParamsViewArray(params);
    }

    @Override
    public void setParamTable(java.util.Map<String, INDArray> paramTable) {
        forgetForwardPass();
        super.setParamTable(paramTable);
    }

    @Override
    public void clear() {
        forgetForwardPass();
        super.clear();
    }

    private IsotropicKernel kernel() {
        return new IsotropicKernel(layerConf().profile(), FeatureAxis.CHANNELS_FIRST);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return true;
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }
}
