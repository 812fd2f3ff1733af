package org.dl4jisotropic.layers.surgery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.dl4jisotropic.core.surgery.MomentKind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Reads and writes the flat updater state of a MultiLayerNetwork or a ComputationGraph per parameter.
 *
 * <p>DL4J merges consecutive parameters with equal updater configurations into an updater block whose state is
 * {@code [component 0 of every parameter | component 1 of every parameter | ...]}, parameters in flat order. This
 * class resolves, for each parameter key ({@code "i_name"} in a network, {@code "layerName_name"} in a graph), its
 * components as flat segments (views on read).
 *
 * @implNote Pinned to DL4J {@value UpdaterStateKinds#PINNED_DL4J_VERSION}. The block offsets come from DL4J's
 *     public {@code UpdaterBlock} getters, but two facts used here are internal: each block's state is split into
 *     equal, contiguous components of the block's parameter length, and the components come in the order listed in
 *     {@link UpdaterStateKinds} (e.g. Adam: {@code [M | V]}). Neither is documented by DL4J, and a change would
 *     silently mix the moments up. {@code UpdaterStateCanaryTest} checks both against DL4J's own per-key state views
 *     for every supported updater.
 */
final class UpdaterStateView {

    /**
     * One parameter's place in the state: its block's state offset and parameter length (one component is that long;
     * the k-th starts at {@code viewStart + k * blockLength}, pinned to DL4J
     * {@value UpdaterStateKinds#PINNED_DL4J_VERSION}), and its offset within the block's parameters.
     */
    private record Slot(int viewStart, long blockLength, long localOffset, long length, List<MomentKind> kinds) {
    }

    private final Map<String, Slot> slots = new LinkedHashMap<>();

    private UpdaterStateView() {
    }

    /**
     * Who owns a parameter in an updater block, as the view names it.
     *
     * @param key         the parameter's key: {@code "i_name"} in a network, {@code "layerName_name"} in a graph
     * @param updater     the parameter's updater configuration
     * @param description the parameter for error messages
     */
    private record Owner(String key, IUpdater updater, String description) {
    }

    /**
     * Maps the updater blocks of a network; parameters are keyed {@code "i_name"} (layer index, parameter name).
     *
     * @throws UnsupportedUpdaterException if a parameter's updater has state surgery cannot carry
     */
    static UpdaterStateView of(MultiLayerNetwork net) {
        return of((BaseMultiLayerUpdater<?>) net.getUpdater(true), state -> {
            Layer layer = (Layer) state.getLayer();
            String key = layer.getIndex() + "_" + state.getParamName();
            return new Owner(key, layer.conf().getLayer().getUpdaterByParam(state.getParamName()),
                    "parameter " + key + " (layer " + layer.getIndex() + ", \"" + layer.conf().getLayer()
                            .getLayerName() + "\")");
        });
    }

    /**
     * Maps the updater blocks of a graph; parameters are keyed {@code "layerName_name"}, as in the graph's
     * {@code paramTable()}.
     *
     * @throws UnsupportedUpdaterException if a parameter's updater has state surgery cannot carry
     */
    static UpdaterStateView of(ComputationGraph graph) {
        // A graph's blocks are owned by its layer vertices (Trainable, not Layer): name them through their config.
        return of(graph.getUpdater(true), state -> {
            TrainingConfig config = state.getLayer().getConfig();
            String key = config.getLayerName() + "_" + state.getParamName();
            return new Owner(key, config.getUpdaterByParam(state.getParamName()),
                    "parameter " + key + " (vertex \"" + config.getLayerName() + "\")");
        });
    }

    private static UpdaterStateView of(BaseMultiLayerUpdater<?> updater,
                                       Function<UpdaterBlock.ParamState, Owner> owners) {
        UpdaterStateView view = new UpdaterStateView();
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            long blockLength = block.getParamOffsetEnd() - block.getParamOffsetStart();
            long stateLength = block.getUpdaterViewOffsetEnd() - block.getUpdaterViewOffsetStart();
            long local = 0;
            for (UpdaterBlock.ParamState state : block.getLayersAndVariablesInBlock()) {
                Owner owner = owners.apply(state);
                String key = owner.key();
                List<MomentKind> kinds = UpdaterStateKinds.of(owner.updater(), owner.description());
                if (stateLength != kinds.size() * blockLength) {
                    throw new IllegalStateException("updater state of " + key + " must have " + kinds.size()
                            + " components of length " + blockLength + ", found total length " + stateLength);
                }
                long length = state.getParamView().length();
                view.slots.put(key, new Slot(block.getUpdaterViewOffsetStart(), blockLength, local, length, kinds));
                local += length;
            }
        }
        return view;
    }

    /** True if the network's updaters keep any state at all (SGD alone keeps none). */
    boolean hasState(MultiLayerNetwork net) {
        INDArray view = net.getUpdater().getStateViewArray();
        return view != null && view.length() > 0;
    }

    /** True if the graph's updaters keep any state at all (SGD alone keeps none). */
    boolean hasState(ComputationGraph graph) {
        INDArray view = graph.getUpdater().getStateViewArray();
        return view != null && view.length() > 0;
    }

    /** The keys of every parameter with a place in the state, in DL4J's block order. */
    Set<String> keys() {
        return Collections.unmodifiableSet(slots.keySet());
    }

    /** The kinds of the state components of a parameter. */
    List<MomentKind> kinds(String key) {
        return slot(key).kinds();
    }

    /**
     * Views of the state components of a parameter, each flat ({@code [length]}) in DL4J's flat order; writing to
     * them writes the updater state.
     */
    List<INDArray> read(INDArray stateView, String key) {
        Slot slot = slot(key);
        List<INDArray> components = new ArrayList<>();
        INDArray flat = stateView.reshape(stateView.length());
        for (int c = 0; c < slot.kinds().size(); c++) {
            long start = slot.viewStart() + c * slot.blockLength() + slot.localOffset();
            components.add(flat.get(NDArrayIndex.interval(start, start + slot.length())));
        }
        return components;
    }

    /** Writes flat state components of a parameter into a state view. */
    void write(INDArray stateView, String key, List<INDArray> components) {
        Slot slot = slot(key);
        if (components.size() != slot.kinds().size()) {
            throw new IllegalStateException("parameter " + key + " needs " + slot.kinds().size()
                    + " state components, found " + components.size());
        }
        INDArray flat = stateView.reshape(stateView.length());
        for (int c = 0; c < components.size(); c++) {
            long start = slot.viewStart() + c * slot.blockLength() + slot.localOffset();
            INDArray component = components.get(c);
            if (component.length() != slot.length()) {
                throw new IllegalStateException("state component " + c + " of " + key + " must have length "
                        + slot.length() + ", found " + component.length());
            }
            flat.get(NDArrayIndex.interval(start, start + slot.length())).assign(component.reshape(slot.length()));
        }
    }

    private Slot slot(String key) {
        Slot slot = slots.get(key);
        if (slot == null) {
            throw new IllegalStateException("no updater state slot for parameter " + key);
        }
        return slot;
    }
}
