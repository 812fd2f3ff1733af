package org.dl4jisotropic.layers.surgery;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.dl4jisotropic.core.surgery.IsotropicStack;
import org.dl4jisotropic.core.surgery.LinearBlock;
import org.dl4jisotropic.core.surgery.TrackedParameter;
import org.dl4jisotropic.layers.activation.IsotropicActivation;
import org.dl4jisotropic.layers.conf.IsotropicActivationLayer;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.conf.IsotropicDenseParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Converts between a MultiLayerNetwork of isotropic hidden layers and the DL4J-free {@link IsotropicStack} that
 * surgery works on, parameters and updater state together.
 *
 * <p>Which networks are supported, and how each layer's weights map to the stack's matrices, is
 * {@link NetworkLayout}'s business; this class moves the numbers. A unit whose input carries the previous unit's
 * scale holds psi either as the last rows of its weights (the scale arrives as the last input feature or channel) or,
 * for an {@code IsotropicDenseLayer} after another, as its {@code psi} parameter.
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
     * @return the network's layout
     * @throws IllegalArgumentException naming the first offending layer
     */
    static NetworkLayout requireSupported(MultiLayerNetwork net) {
        if (!net.isInitCalled()) {
            throw new IllegalStateException("network must be initialized (call net.init()) before surgery");
        }
        return NetworkLayout.of(net.getLayerWiseConfigurations());
    }

    /** Reads a copy of the network's parameters and updater state. */
    static IsotropicStack read(MultiLayerNetwork net) {
        NetworkLayout layout = requireSupported(net);
        UpdaterStateView state = UpdaterStateView.of(net);
        INDArray stateView = state.hasState(net) ? net.getUpdater().getStateViewArray() : null;
        List<LinearBlock> blocks = new ArrayList<>();
        for (NetworkLayout.Unit unit : layout.units()) {
            int i = unit.layer();
            Layer layer = conf(net, i);
            TrackedParameter full = tracked(net, state, stateView, key(i, IsotropicDenseParamInitializer.WEIGHT_KEY),
                    unit.arrangement());
            TrackedParameter weights = full;
            Optional<TrackedParameter> psi = Optional.empty();
            switch (unit.psi()) {
                case PARAMETER:
                    psi = Optional.of(tracked(net, state, stateView, key(i, IsotropicDenseParamInitializer.PSI_KEY),
                            ParameterArrangement.DENSE));
                    break;
                case WEIGHT_ROWS: {
                    long rows = full.value().rows();
                    weights = rows(full, 0, rows - unit.multiplicity());
                    psi = Optional.of(rows(full, rows - unit.multiplicity(), rows));
                    break;
                }
                default:
                    break;
            }
            TrackedParameter bias = tracked(net, state, stateView, key(i, IsotropicDenseParamInitializer.BIAS_KEY),
                    ParameterArrangement.DENSE);
            if (!unit.hidden()) {
                blocks.add(LinearBlock.output(weights, bias, psi, unit.multiplicity()));
            } else if (layer instanceof IsotropicDenseLayer) {
                IsotropicDenseLayer dense = (IsotropicDenseLayer) layer;
                IntrinsicLength length = new IntrinsicLength(dense.intrinsicLength().mode(),
                        currentSquaredLength(net, i, dense));
                blocks.add(LinearBlock.hidden(weights, bias, psi, dense.profile(), length, true,
                        unit.multiplicity()));
            } else {
                IsotropicActivation activation = activation(net.getLayerWiseConfigurations(), unit);
                blocks.add(LinearBlock.hidden(weights, bias, psi, activation.profile(),
                        IntrinsicLength.constant(activation.squaredIntrinsicLength()), unit.emitsScale(),
                        unit.multiplicity()));
            }
        }
        return new IsotropicStack(blocks);
    }

    /**
     * Builds the configuration, parameters and updater state of the network that the stack describes; the original
     * network is not touched.
     */
    static Encoded encode(MultiLayerNetwork original, IsotropicStack stack) {
        NetworkLayout layout = NetworkLayout.of(original.getLayerWiseConfigurations());
        MultiLayerConfiguration configuration = original.getLayerWiseConfigurations().clone();
        for (int u = 0; u < stack.hiddenLayers(); u++) {
            resize(configuration, layout.unit(u), layout.unit(u + 1), stack.layer(u));
        }
        // the resized configuration's own layout: an NHWC flatten's arrangement depends on the new channel count
        NetworkLayout resized = NetworkLayout.of(configuration);
        MultiLayerNetwork fresh = new MultiLayerNetwork(configuration.clone());
        // Every parameter is overwritten below, so skip the weight initializers (an orthogonal init costs a QR).
        fresh.init(Nd4j.zeros(configuration.getDataType(), 1, parameterCount(configuration)), false);
        UpdaterStateView oldState = UpdaterStateView.of(original);
        UpdaterStateView newState = UpdaterStateView.of(fresh);
        INDArray oldView = oldState.hasState(original) ? original.getUpdater().getStateViewArray() : null;
        INDArray newView = newState.hasState(fresh) ? fresh.getUpdater().getStateViewArray() : null;
        for (int u = 0; u < stack.layers().size(); u++) {
            NetworkLayout.Unit unit = resized.unit(u);
            LinearBlock block = stack.layer(u);
            int i = unit.layer();
            Layer layer = configuration.getConf(i).getLayer();
            String w = key(i, IsotropicDenseParamInitializer.WEIGHT_KEY);
            if (unit.psi() == NetworkLayout.PsiSource.WEIGHT_ROWS) {
                put(fresh, newState, newView, w, stackRows(block.weights(), block.psi().orElseThrow()),
                        unit.arrangement());
            } else {
                put(fresh, newState, newView, w, block.weights(), unit.arrangement());
            }
            if (unit.psi() == NetworkLayout.PsiSource.PARAMETER) {
                put(fresh, newState, newView, key(i, IsotropicDenseParamInitializer.PSI_KEY), block.psi().orElseThrow(),
                        ParameterArrangement.DENSE);
            }
            if (layer instanceof IsotropicDenseLayer) {
                writeIntrinsicLength(oldState, oldView, fresh, newState, newView, i, block);
            }
            put(fresh, newState, newView, key(i, IsotropicDenseParamInitializer.BIAS_KEY), block.bias(),
                    ParameterArrangement.DENSE);
        }
        configuration.setIterationCount(original.getLayerWiseConfigurations().getIterationCount());
        configuration.setEpochCount(original.getLayerWiseConfigurations().getEpochCount());
        // fresh is discarded, so its arrays are handed over rather than copied
        return new Encoded(configuration, fresh.params(), newView);
    }

    /**
     * Gives hidden unit {@code unit} the block's width in a cloned configuration: its nOut, and what reads it: the
     * next unit's nIn (one more channel or feature when the scale travels with it) and the flatten's channel count.
     */
    private static void resize(MultiLayerConfiguration configuration, NetworkLayout.Unit unit,
                               NetworkLayout.Unit next, LinearBlock block) {
        long width = block.width();
        ((FeedForwardLayer) configuration.getConf(unit.layer()).getLayer()).setNOut(width);
        if (unit.activationLayer().isPresent()) {
            NeuralNetConfiguration activation = configuration.getConf(unit.activationLayer().getAsInt());
            if (activation.getLayer() instanceof IsotropicActivationLayer) {
                // removal moves constant neurons into o, a configuration constant of this layer
                activation.setLayer(((IsotropicActivationLayer) activation.getLayer())
                        .withSquaredIntrinsicLength(block.squaredLength()));
            }
        }
        long channels = width + (next.psi() == NetworkLayout.PsiSource.WEIGHT_ROWS ? 1 : 0);
        FeedForwardLayer reader = (FeedForwardLayer) configuration.getConf(next.layer()).getLayer();
        if (next.flatten().isPresent()) {
            CnnToFeedForwardPreProcessor flatten = (CnnToFeedForwardPreProcessor) configuration
                    .getInputPreProcess(next.layer());
            flatten.setNumChannels(channels);
            reader.setNIn(channels * next.multiplicity());
        } else {
            reader.setNIn(channels);
        }
    }

    private static IsotropicActivation activation(MultiLayerConfiguration configuration, NetworkLayout.Unit unit) {
        if (unit.activationLayer().isPresent()) {
            Layer layer = configuration.getConf(unit.activationLayer().getAsInt()).getLayer();
            return layer instanceof IsotropicActivationLayer ? ((IsotropicActivationLayer) layer).activation()
                    : (IsotropicActivation) ((ActivationLayer) layer).getActivationFn();
        }
        return (IsotropicActivation) ((BaseLayer) configuration.getConf(unit.layer()).getLayer()).getActivationFn();
    }

    private static String key(int layer, String name) {
        return layer + "_" + name;
    }

    private static long parameterCount(MultiLayerConfiguration configuration) {
        long count = 0;
        for (int i = 0; i < configuration.getConfs().size(); i++) {
            count += configuration.getConf(i).getLayer().initializer().numParams(configuration.getConf(i));
        }
        return count;
    }

    private static void writeIntrinsicLength(UpdaterStateView oldState, INDArray oldView, MultiLayerNetwork fresh,
                                             UpdaterStateView newState, INDArray newView, int i, LinearBlock block) {
        switch (block.intrinsicLength().mode()) {
            case CONSTANT:
                fresh.getParam(key(i, IsotropicDenseParamInitializer.INTRINSIC_LENGTH_KEY))
                        .assign(block.squaredLength());
                break;
            case TRAINABLE: {
                String key = key(i, IsotropicDenseParamInitializer.LOG_INTRINSIC_LENGTH_KEY);
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
                return net.getParam(key(i, IsotropicDenseParamInitializer.INTRINSIC_LENGTH_KEY)).getDouble(0);
            case TRAINABLE:
                return Math.exp(net.getParam(key(i, IsotropicDenseParamInitializer.LOG_INTRINSIC_LENGTH_KEY))
                        .getDouble(0));
            default:
                return 0.0;
        }
    }

    /**
     * A parameter and its state as the core's matrix. The flat state segments follow the parameter's own buffer
     * order ('f' for dense weights, 'c' for convolution weights), so each is read in the parameter view's order.
     */
    private static TrackedParameter tracked(MultiLayerNetwork net, UpdaterStateView state, INDArray stateView,
                                            String key, ParameterArrangement arrangement) {
        INDArray param = net.getParam(key);
        long[] shape = param.rank() == 1 ? new long[] {1, param.length()} : param.shape();
        INDArray value = arrangement.toMatrix(param.dup(param.ordering()).reshape(param.ordering(), shape));
        List<INDArray> moments = new ArrayList<>();
        if (stateView != null) {
            for (INDArray component : state.read(stateView, key)) {
                moments.add(arrangement.toMatrix(component.reshape(param.ordering(), shape)));
            }
        }
        return new TrackedParameter(value, stateView == null ? List.of() : state.kinds(key), moments);
    }

    private static void put(MultiLayerNetwork fresh, UpdaterStateView state, INDArray stateView, String key,
                            TrackedParameter parameter, ParameterArrangement arrangement) {
        INDArray param = fresh.getParam(key);
        if (param.length() != parameter.value().length()) {
            throw new IllegalStateException("parameter " + key + " must have length " + param.length()
                    + ", found " + parameter.value().length());
        }
        long[] shape = param.rank() == 1 ? new long[] {1, param.length()} : param.shape();
        param.assign(arrangement.fromMatrix(parameter.value(), shape).reshape(param.shape()));
        if (stateView != null && !state.kinds(key).isEmpty()) {
            List<INDArray> flat = new ArrayList<>();
            for (INDArray m : parameter.moments()) {
                flat.add(Nd4j.toFlattened(param.ordering(), arrangement.fromMatrix(m, shape)));
            }
            state.write(stateView, key, flat);
        }
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
}
