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
 */
public class IsotropicDenseLayerImpl extends org.deeplearning4j.nn.layers.BaseLayer<IsotropicDenseLayer> {

    private static final long serialVersionUID = 1L;

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
        INDArray a = preActivation();
        IsotropicForward forward = kernel().forward(a, squaredIntrinsicLength());
        long nOut = layerConf().getNOut();
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, a.size(0), nOut + 1);
        out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, nOut)).assign(forward.output());
        out.get(NDArrayIndex.all(), NDArrayIndex.interval(nOut, nOut + 1)).assign(forward.scale());
        if (maskArray != null) {
            applyMask(out);
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
        INDArray a = preActivation();
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
        INDArray epsilonNext = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, dataType, a.size(0),
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
            featureEpsilon.assign(delta.mmul(getParam(IsotropicDenseParamInitializer.WEIGHT_KEY).transpose()));
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

    /** {@code a = x W + b (+ s_prev psi)}, validated against the configured input width. */
    private INDArray preActivation() {
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
            a = Nd4j.zeros(dataType, x.size(0), conf.getNOut());
            a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k)).assign(features
                    .get(NDArrayIndex.all(), NDArrayIndex.interval(0, k))
                    .mulRowVector(getParam(IsotropicDenseParamInitializer.DIAGONAL_KEY)));
        } else {
            a = features.mmul(getParam(IsotropicDenseParamInitializer.WEIGHT_KEY));
        }
        a.addiRowVector(getParam(IsotropicDenseParamInitializer.BIAS_KEY));
        if (conf.inputCarriesScale()) {
            INDArray scaleIn = x.get(NDArrayIndex.all(), NDArrayIndex.interval(nIn, nIn + 1));
            a.addi(scaleIn.mmul(getParam(IsotropicDenseParamInitializer.PSI_KEY)));
        }
        return a;
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
