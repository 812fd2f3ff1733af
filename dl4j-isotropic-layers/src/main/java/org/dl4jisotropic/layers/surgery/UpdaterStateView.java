package org.dl4jisotropic.layers.surgery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.dl4jisotropic.core.surgery.MomentKind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Reads and writes a MultiLayerNetwork's flat updater state per parameter.
 *
 * <p>DL4J merges consecutive parameters with equal updater configurations into an updater block whose state is
 * {@code [component 0 of every parameter | component 1 of every parameter | ...]}, parameters in flat order. This
 * class resolves, for each parameter key {@code "i_name"}, its components as flat segments (views on read).
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
     * Maps the updater blocks of a network.
     *
     * @throws UnsupportedUpdaterException if a parameter's updater has state surgery cannot carry
     */
    static UpdaterStateView of(MultiLayerNetwork net) {
        UpdaterStateView view = new UpdaterStateView();
        BaseMultiLayerUpdater<?> updater = (BaseMultiLayerUpdater<?>) net.getUpdater(true);
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            long blockLength = block.getParamOffsetEnd() - block.getParamOffsetStart();
            long stateLength = block.getUpdaterViewOffsetEnd() - block.getUpdaterViewOffsetStart();
            long local = 0;
            for (UpdaterBlock.ParamState state : block.getLayersAndVariablesInBlock()) {
                Layer layer = (Layer) state.getLayer();
                String key = layer.getIndex() + "_" + state.getParamName();
                List<MomentKind> kinds = UpdaterStateKinds.of(
                        layer.conf().getLayer().getUpdaterByParam(state.getParamName()),
                        "parameter " + key + " (layer " + layer.getIndex() + ", \"" + layer.conf().getLayer()
                                .getLayerName() + "\")");
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
