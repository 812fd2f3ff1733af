package org.dl4jisotropic.layers.runtime;

import java.util.Arrays;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jisotropic.core.activation.IsotropicForward;
import org.dl4jisotropic.core.activation.IsotropicKernel;
import org.dl4jisotropic.layers.activation.IsotropicActivation;
import org.dl4jisotropic.layers.conf.IsotropicActivationLayer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runtime of {@link IsotropicActivationLayer}: {@code [y, s]} forward, with the scale appended on the channel axis,
 * and the backward pass of {@link IsotropicKernel} with the scale channel's gradient
 * ({@code dL/da = s g + 2 s'(q) (a . g + gs) a}).
 *
 * <p>Stateless: the backward pass recomputes the norms from the layer input rather than keeping the forward's.
 */
public class IsotropicActivationLayerImpl extends AbstractLayer<IsotropicActivationLayer> {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the runtime layer; DL4J calls this from {@link IsotropicActivationLayer#instantiate}.
     *
     * @param conf     the layer's configuration
     * @param dataType the network's dtype
     */
    public IsotropicActivationLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        int dim = channelDimension(input);
        IsotropicActivation activation = layerConf().activation();
        IsotropicForward forward = kernel().forward(input.castTo(dataType), activation.squaredIntrinsicLength());
        long channels = input.size(dim);
        long[] shape = input.shape().clone();   // shape() may return the array's own shape record
        shape[dim] = channels + 1;
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, shape, 'c');
        out.get(range(out.rank(), dim, 0, channels)).assign(forward.output());
        out.get(range(out.rank(), dim, channels, channels + 1)).assign(forward.scale());
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        int dim = channelDimension(input);
        long channels = input.size(dim);
        long[] expected = input.shape().clone();
        expected[dim] = channels + 1;
        if (!Arrays.equals(expected, epsilon.shape())) {
            throw new DL4JInvalidInputException("epsilon must have shape " + Arrays.toString(expected)
                    + " (the input's channels plus the scale channel), found " + Arrays.toString(epsilon.shape())
                    + " " + layerId());
        }
        // dup before indexing: get() on an offset view can return an empty array in ND4J M2.1
        INDArray e = epsilon.castTo(dataType).dup('c');
        INDArray g = e.get(range(e.rank(), dim, 0, channels)).dup('c');
        INDArray gs = e.get(range(e.rank(), dim, channels, channels + 1)).dup('c');
        INDArray delta = kernel().backward(input.castTo(dataType), g, gs,
                layerConf().activation().squaredIntrinsicLength()).input();
        return new Pair<>(new DefaultGradient(), workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, delta, 'c'));
    }

    /** The channel dimension of the input, checked against the activation's feature axis. */
    private int channelDimension(INDArray x) {
        IsotropicActivationLayer conf = layerConf();
        int dim;
        try {
            dim = conf.channelDimension(x.rank());
        } catch (IllegalArgumentException e) {
            throw new DL4JInvalidInputException(e.getMessage() + ", shape " + Arrays.toString(x.shape()) + " "
                    + layerId());
        }
        int normDim = conf.activation().featureAxis().dimension(x.rank());
        if (normDim != dim) {
            throw new DL4JInvalidInputException("the activation " + conf.activation() + " takes its norm over "
                    + "dimension " + normDim + " but the channels of " + conf.dataFormat() + " input are dimension "
                    + dim + "; " + layerId());
        }
        return dim;
    }

    private static INDArrayIndex[] range(int rank, int dim, long from, long to) {
        INDArrayIndex[] index = new INDArrayIndex[rank];
        for (int i = 0; i < rank; i++) {
            index[i] = i == dim ? NDArrayIndex.interval(from, to) : NDArrayIndex.all();
        }
        return index;
    }

    private IsotropicKernel kernel() {
        IsotropicActivation activation = layerConf().activation();
        return new IsotropicKernel(activation.profile(), activation.featureAxis());
    }

    @Override
    public double calcRegularizationScore(boolean backpropOnlyParams) {
        return 0.0;
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no parameters
    }

    @Override
    public INDArray params() {
        return null;
    }
}
