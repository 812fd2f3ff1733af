package org.dl4jisotropic.layers.surgery;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.dl4jisotropic.core.surgery.LinearBlock;
import org.dl4jisotropic.core.surgery.IsotropicStack;
import org.dl4jisotropic.core.surgery.TrackedParameter;
import org.dl4jisotropic.layers.activation.IsotropicActivation;
import org.dl4jisotropic.layers.conf.Connectivity;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.conf.IsotropicDenseParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Converts between a MultiLayerNetwork of isotropic hidden layers and the DL4J-free {@link IsotropicStack} that
 * surgery works on, parameters and updater state together.
 *
 * <p>Supported networks: hidden layers that are each an {@link IsotropicDenseLayer} or a {@code DenseLayer} with an
 * {@link IsotropicActivation}, followed by one {@code OutputLayer} or {@code DenseLayer}. After an
 * {@code IsotropicDenseLayer} the next layer's input has a trailing scale column; a stock next layer holds psi as the
 * last row of its weights, an {@code IsotropicDenseLayer} as its {@code psi} parameter.
 */
final class StackCodec {

    /** A network rewritten from a stack: configuration, flat parameters and flat updater state, all new. */
    record Encoded(MultiLayerConfiguration configuration, INDArray parameters, INDArray updaterState) {
    }

    private StackCodec() {
    }

    /**
     * Checks that a network has the supported shape.
     *
     * @throws IllegalArgumentException naming the first offending layer
     */
    static void requireSupported(MultiLayerNetwork net) {
        if (!net.isInitCalled()) {
            throw new IllegalStateException("network must be initialized (call net.init()) before surgery");
        }
        int n = net.getnLayers();
        if (n < 2) {
            throw new IllegalArgumentException("surgery needs at least one isotropic hidden layer and an output layer, "
                    + "found " + n + " layers");
        }
        for (int i = 0; i < n - 1; i++) {
            Layer layer = conf(net, i);
            if (layer instanceof IsotropicDenseLayer
                    && ((IsotropicDenseLayer) layer).connectivity() != Connectivity.DENSE) {
                throw new IllegalArgumentException("layer " + i + " (name \"" + layer.getLayerName() + "\") is stored "
                        + "sparsely (diagonal connectivity); surgery needs dense weights: operate on the network "
                        + "before sparsifying it");
            }
            if (!(layer instanceof IsotropicDenseLayer) && !isActivationLayer(layer)) {
                throw new IllegalArgumentException("layer " + i + " (name \"" + layer.getLayerName() + "\") must be an "
                        + "isotropic hidden layer, found " + describe(layer)
                        + "; use IsotropicDenseLayer or a DenseLayer with an Isotropic* activation");
            }
        }
        Layer last = conf(net, n - 1);
        if (!(last instanceof OutputLayer) && !(last instanceof DenseLayer && !isActivationLayer(last))) {
            throw new IllegalArgumentException("layer " + (n - 1) + " (name \"" + last.getLayerName() + "\") must be "
                    + "an OutputLayer or DenseLayer, found " + describe(last));
        }
        if (((BaseLayer) last).getActivationFn() instanceof IsotropicActivation) {
            throw new IllegalArgumentException("the output layer must not be isotropic: surgery rotates hidden layers");
        }
    }

    /** Reads a copy of the network's parameters and updater state. */
    static IsotropicStack read(MultiLayerNetwork net) {
        requireSupported(net);
        UpdaterStateView state = UpdaterStateView.of(net);
        INDArray stateView = state.hasState(net) ? net.getUpdater().getStateViewArray() : null;
        List<LinearBlock> blocks = new ArrayList<>();
        boolean previousEmitsScale = false;
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = conf(net, i);
            String w = i + "_" + IsotropicDenseParamInitializer.WEIGHT_KEY;
            String b = i + "_" + IsotropicDenseParamInitializer.BIAS_KEY;
            TrackedParameter weights;
            Optional<TrackedParameter> psi = Optional.empty();
            if (layer instanceof IsotropicDenseLayer) {
                weights = tracked(net, state, stateView, w);
                if (((IsotropicDenseLayer) layer).inputCarriesScale()) {
                    psi = Optional.of(tracked(net, state, stateView, i + "_" + IsotropicDenseParamInitializer.PSI_KEY));
                }
            } else if (previousEmitsScale) {
                TrackedParameter full = tracked(net, state, stateView, w);
                long rows = full.value().rows();
                weights = rows(full, 0, rows - 1);
                psi = Optional.of(rows(full, rows - 1, rows));
            } else {
                weights = tracked(net, state, stateView, w);
            }
            TrackedParameter bias = tracked(net, state, stateView, b);
            boolean last = i == net.getnLayers() - 1;
            if (last) {
                blocks.add(LinearBlock.output(weights, bias, psi));
            } else if (layer instanceof IsotropicDenseLayer) {
                IsotropicDenseLayer dense = (IsotropicDenseLayer) layer;
                IntrinsicLength length = new IntrinsicLength(dense.intrinsicLength().mode(),
                        currentSquaredLength(net, i, dense));
                blocks.add(LinearBlock.hidden(weights, bias, psi, dense.profile(), length, true));
            } else {
                IsotropicActivation activation = (IsotropicActivation) ((BaseLayer) layer).getActivationFn();
                blocks.add(LinearBlock.hidden(weights, bias, psi, activation.profile(),
                        IntrinsicLength.constant(activation.squaredIntrinsicLength()), false));
            }
            previousEmitsScale = !last && layer instanceof IsotropicDenseLayer;
        }
        return new IsotropicStack(blocks);
    }

    /**
     * Builds the configuration, parameters and updater state of the network that the stack describes; the original
     * network is not touched.
     */
    static Encoded encode(MultiLayerNetwork original, IsotropicStack stack) {
        MultiLayerConfiguration configuration = original.getLayerWiseConfigurations().clone();
        for (int i = 0; i < stack.hiddenLayers(); i++) {
            long width = stack.layer(i).width();
            ((FeedForwardLayer) configuration.getConf(i).getLayer()).setNOut(width);
            Layer next = configuration.getConf(i + 1).getLayer();
            boolean scaleColumn = stack.layer(i).emitsScale() && !(next instanceof IsotropicDenseLayer);
            ((FeedForwardLayer) next).setNIn(width + (scaleColumn ? 1 : 0));
        }
        MultiLayerNetwork fresh = new MultiLayerNetwork(configuration.clone());
        // Every parameter is overwritten below, so skip the weight initializers (an orthogonal init costs a QR).
        fresh.init(Nd4j.zeros(configuration.getDataType(), 1, parameterCount(configuration)), false);
        UpdaterStateView oldState = UpdaterStateView.of(original);
        UpdaterStateView newState = UpdaterStateView.of(fresh);
        INDArray oldView = oldState.hasState(original) ? original.getUpdater().getStateViewArray() : null;
        INDArray newView = newState.hasState(fresh) ? fresh.getUpdater().getStateViewArray() : null;
        for (int i = 0; i < stack.layers().size(); i++) {
            LinearBlock block = stack.layer(i);
            Layer layer = configuration.getConf(i).getLayer();
            String w = i + "_" + IsotropicDenseParamInitializer.WEIGHT_KEY;
            if (layer instanceof IsotropicDenseLayer) {
                put(fresh, newState, newView, w, block.weights());
                if (block.psi().isPresent()) {
                    put(fresh, newState, newView, i + "_" + IsotropicDenseParamInitializer.PSI_KEY, block.psi().get());
                }
                writeIntrinsicLength(original, oldState, oldView, fresh, newState, newView, i, block);
            } else if (block.psi().isPresent()) {
                put(fresh, newState, newView, w, stackRows(block.weights(), block.psi().get()));
            } else {
                put(fresh, newState, newView, w, block.weights());
            }
            put(fresh, newState, newView, i + "_" + IsotropicDenseParamInitializer.BIAS_KEY, block.bias());
        }
        configuration.setIterationCount(original.getLayerWiseConfigurations().getIterationCount());
        configuration.setEpochCount(original.getLayerWiseConfigurations().getEpochCount());
        // fresh is discarded, so its arrays are handed over rather than copied
        return new Encoded(configuration, fresh.params(), newView);
    }

    private static long parameterCount(MultiLayerConfiguration configuration) {
        long count = 0;
        for (int i = 0; i < configuration.getConfs().size(); i++) {
            count += configuration.getConf(i).getLayer().initializer().numParams(configuration.getConf(i));
        }
        return count;
    }

    private static void writeIntrinsicLength(MultiLayerNetwork original, UpdaterStateView oldState, INDArray oldView,
                                             MultiLayerNetwork fresh, UpdaterStateView newState, INDArray newView,
                                             int i, LinearBlock block) {
        switch (block.intrinsicLength().mode()) {
            case CONSTANT:
                fresh.getParam(i + "_" + IsotropicDenseParamInitializer.INTRINSIC_LENGTH_KEY)
                        .assign(block.squaredLength());
                break;
            case TRAINABLE: {
                String key = i + "_" + IsotropicDenseParamInitializer.LOG_INTRINSIC_LENGTH_KEY;
                fresh.getParam(key).assign(Math.log(block.squaredLength()));
                if (newView != null) {
                    newState.write(newView, key, oldState.read(oldView, key));
                }
                break;
            }
            default:
                break;
        }
    }

    private static double currentSquaredLength(MultiLayerNetwork net, int i, IsotropicDenseLayer layer) {
        switch (layer.intrinsicLength().mode()) {
            case CONSTANT:
                return net.getParam(i + "_" + IsotropicDenseParamInitializer.INTRINSIC_LENGTH_KEY).getDouble(0);
            case TRAINABLE:
                return Math.exp(net.getParam(i + "_" + IsotropicDenseParamInitializer.LOG_INTRINSIC_LENGTH_KEY)
                        .getDouble(0));
            default:
                return 0.0;
        }
    }

    private static TrackedParameter tracked(MultiLayerNetwork net, UpdaterStateView state, INDArray stateView,
                                            String key) {
        INDArray param = net.getParam(key);
        long[] shape = param.rank() == 1 ? new long[] {1, param.length()} : param.shape();
        INDArray value = param.reshape(shape).dup('c');
        List<INDArray> moments = new ArrayList<>();
        if (stateView != null) {
            for (INDArray component : state.read(stateView, key)) {
                moments.add(matrix(component, shape));
            }
        }
        return new TrackedParameter(value, stateView == null ? List.of() : state.kinds(key), moments);
    }

    private static void put(MultiLayerNetwork fresh, UpdaterStateView state, INDArray stateView, String key,
                            TrackedParameter parameter) {
        INDArray param = fresh.getParam(key);
        if (param.length() != parameter.value().length()) {
            throw new IllegalStateException("parameter " + key + " must have length " + param.length()
                    + ", found " + parameter.value().length());
        }
        param.assign(parameter.value().reshape(param.shape()));
        if (stateView != null && !state.kinds(key).isEmpty()) {
            List<INDArray> flat = new ArrayList<>();
            for (INDArray m : parameter.moments()) {
                flat.add(Nd4j.toFlattened('f', m));
            }
            state.write(stateView, key, flat);
        }
    }

    /** A flat segment in DL4J's 'f' parameter order, as a matrix of the given shape. */
    private static INDArray matrix(INDArray flat, long[] shape) {
        return flat.reshape('f', shape).dup('c');
    }

    private static TrackedParameter rows(TrackedParameter full, long from, long to) {
        INDArray value = full.value().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup();
        List<INDArray> moments = new ArrayList<>();
        for (INDArray m : full.moments()) {
            moments.add(m.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup());
        }
        return new TrackedParameter(value, full.kinds(), moments);
    }

    private static TrackedParameter stackRows(TrackedParameter top, TrackedParameter bottom) {
        List<INDArray> moments = new ArrayList<>();
        for (int c = 0; c < top.moments().size(); c++) {
            moments.add(Nd4j.vstack(top.moments().get(c), bottom.moments().get(c)));
        }
        return new TrackedParameter(Nd4j.vstack(top.value(), bottom.value()), top.kinds(), moments);
    }

    private static Layer conf(MultiLayerNetwork net, int i) {
        return net.getLayerWiseConfigurations().getConf(i).getLayer();
    }

    private static boolean isActivationLayer(Layer layer) {
        return layer instanceof DenseLayer && ((DenseLayer) layer).getActivationFn() instanceof IsotropicActivation
                && !((DenseLayer) layer).hasLayerNorm() && ((DenseLayer) layer).hasBias();
    }

    private static String describe(Layer layer) {
        String activation = layer instanceof BaseLayer ? " with activation " + ((BaseLayer) layer).getActivationFn()
                : "";
        return layer.getClass().getSimpleName() + activation;
    }
}
