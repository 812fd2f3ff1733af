package org.dl4jisotropic.layers.surgery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dl4jisotropic.core.surgery.MomentKind;
import org.dl4jisotropic.core.surgery.Neurogenesis;
import org.dl4jisotropic.core.surgery.TrackedParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A working copy of the parameters (and their optimizer state) that one operation on a rotation group touches, in the
 * core's input-major layout, and the encoding of the edited graph into a flat parameter and state array.
 *
 * <pre>
 *   writer w:        W_w [fan-in, n] (dense as is, conv via {@link ParameterArrangement#CONVOLUTION}),
 *                    b_w [1, n], psi_w [1, n]                                 columns = the group's channels
 *   consumer block:  rows offset·k ... (offset + width)·k - 1 of the consumer's canonical W (channel-major,
 *                    k rows per channel; an NHWC flatten is reordered by
 *                    {@link ParameterArrangement#channelsLastFlatten})
 *   rotate R:        writer columns P &lt;- P R;  block rows B &lt;- (R (x) I_k)^T B
 *   grow by c:       writer columns [P, 0];   block rows [B; 0.01 N(0,1) (k·c rows)] inserted at the block's end
 * </pre>
 * Every edit goes through {@link TrackedParameter} on a slice, so the optimizer state follows by its
 * {@link MomentKind} (a new block row's SQUARED state is the mean of that block's existing state). The graph is only
 * read; {@link #encode} builds new arrays.
 */
final class GroupEdit {

    /** One parameter in canonical form with its state, and how to put it back into DL4J's shape. */
    private static final class Canonical {
        final ParameterArrangement arrangement;
        TrackedParameter tracked;

        Canonical(ParameterArrangement arrangement, TrackedParameter tracked) {
            this.arrangement = arrangement;
            this.tracked = tracked;
        }
    }

    private final ComputationGraph graph;
    private final RotationGroup group;
    private final UpdaterStateView view;
    private final INDArray state;
    private final Map<String, Canonical> edited = new LinkedHashMap<>();
    /** Channels added to the input of each consumer by a growth (for the NHWC flatten's new channel count). */
    private final Map<String, Long> addedInputChannels = new LinkedHashMap<>();

    GroupEdit(ComputationGraph graph, RotationGroup group) {
        this.graph = graph;
        this.group = group;
        this.view = UpdaterStateView.of(graph);
        this.state = view.hasState(graph) ? graph.getUpdater().getStateViewArray() : null;
    }

    /** The writers' canonical weights stacked vertically: {@code [sum of fan-ins, width]}, a copy. */
    INDArray stackedWriterWeights() {
        List<INDArray> weights = new ArrayList<>();
        for (String writer : group.writers()) {
            weights.add(writerWeights(writer).tracked.value());
        }
        return Nd4j.vstack(weights.toArray(new INDArray[0])).dup();
    }

    /** {@code P <- P R} on every writer's columns, {@code B <- (R (x) I_k)^T B} on every consumer block. */
    void rotate(INDArray r) {
        for (Canonical writerParameter : writerParameters()) {
            writerParameter.tracked.rotateColumns(r);
        }
        for (ConsumerBlock block : group.consumers()) {
            Canonical consumer = consumerWeights(block);
            long from = block.offset() * block.multiplicity();
            long to = (block.offset() + block.width()) * block.multiplicity();
            TrackedParameter rows = rows(consumer.tracked, from, to);
            rows.rotateRows(r, block.multiplicity());
            consumer.tracked = withRows(consumer.tracked, from, rows);
        }
    }

    /**
     * Appends {@code count} zero columns to every writer parameter and inserts {@code k·count} rows of
     * {@link Neurogenesis#OUTGOING_SCALE} N(0, 1) at the end of every consumer block.
     */
    void grow(int count, long seed) {
        for (Canonical writerParameter : writerParameters()) {
            INDArray value = writerParameter.tracked.value();
            writerParameter.tracked.appendColumns(Nd4j.zeros(value.dataType(), value.rows(), count));
        }
        // Within one consumer, the later block first: inserting rows must not move a block not yet grown.
        List<ConsumerBlock> blocks = new ArrayList<>(group.consumers());
        blocks.sort(Comparator.comparingLong(ConsumerBlock::offset).reversed());
        long salt = 0;
        for (ConsumerBlock block : blocks) {
            Canonical consumer = consumerWeights(block);
            long k = block.multiplicity();
            long from = block.offset() * k;
            long to = (block.offset() + block.width()) * k;
            TrackedParameter all = consumer.tracked;
            TrackedParameter rows = rows(all, from, to);
            INDArray value = all.value();
            rows.appendRows(gaussian(seed + salt++, count * k, value.columns(), value)
                    .muli(Neurogenesis.OUTGOING_SCALE));
            consumer.tracked = concatenateRows(rows(all, 0, from), rows, rows(all, to, value.rows()));
            addedInputChannels.merge(block.consumer(), (long) count, Long::sum);
        }
    }

    /**
     * The flat parameters and updater state of the graph with every edit applied, laid out for a configuration (the
     * graph's own, or the group resized).
     *
     * @return {@code [parameters, state]}, new arrays; the state is null if the graph's updaters keep none
     */
    INDArray[] encode(ComputationGraphConfiguration configuration) {
        ComputationGraph target = new ComputationGraph(configuration.clone());
        target.init();
        UpdaterStateView targetView = UpdaterStateView.of(target);
        INDArray targetState = state == null ? null : target.getUpdater().getStateViewArray();
        for (String key : target.paramTable().keySet()) {
            INDArray param = target.getParam(key);
            Canonical canonical = edited.get(key);
            if (canonical == null) {
                param.assign(graph.getParam(key));
                if (targetState != null && !view.kinds(key).isEmpty()) {
                    List<INDArray> components = new ArrayList<>();
                    for (INDArray component : view.read(state, key)) {
                        components.add(component.dup());
                    }
                    targetView.write(targetState, key, components);
                }
                continue;
            }
            ParameterArrangement arrangement = arrangementFor(canonical, key);
            param.assign(arrangement.fromMatrix(canonical.tracked.value(), param.shape()));
            if (targetState != null && !canonical.tracked.kinds().isEmpty()) {
                List<INDArray> components = new ArrayList<>();
                for (INDArray moment : canonical.tracked.moments()) {
                    components.add(Nd4j.toFlattened(param.ordering(), arrangement.fromMatrix(moment, param.shape())));
                }
                targetView.write(targetState, key, components);
            }
        }
        INDArray parameters = target.params().dup();
        INDArray newState = targetState == null ? null : targetState.dup();
        return new INDArray[] {parameters, newState};
    }

    /** The arrangement that puts a canonical matrix back: an NHWC flatten's channel count follows a growth. */
    private ParameterArrangement arrangementFor(Canonical canonical, String key) {
        if (canonical.arrangement instanceof ParameterArrangement.ChannelsLastFlatten flatten) {
            String consumer = key.substring(0, key.length() - "_W".length());
            return ParameterArrangement.channelsLastFlatten(
                    flatten.channels() + addedInputChannels.getOrDefault(consumer, 0L), flatten.positions());
        }
        return canonical.arrangement;
    }

    private List<Canonical> writerParameters() {
        List<Canonical> parameters = new ArrayList<>();
        for (String writer : group.writers()) {
            parameters.add(writerWeights(writer));
            parameters.add(vector(writer + "_b"));
            if (graph.paramTable().containsKey(writer + "_psi")) {
                parameters.add(vector(writer + "_psi"));
            }
        }
        return parameters;
    }

    private Canonical writerWeights(String writer) {
        boolean convolution = ((LayerVertex) graph.getConfiguration().getVertices().get(writer)).getLayerConf()
                .getLayer() instanceof ConvolutionLayer;
        return load(writer + "_W", convolution ? ParameterArrangement.CONVOLUTION : ParameterArrangement.DENSE);
    }

    private Canonical consumerWeights(ConsumerBlock block) {
        ParameterArrangement arrangement = switch (block.layout()) {
            case CONVOLUTION -> ParameterArrangement.CONVOLUTION;
            case FEATURES, FLATTENED_CHANNELS_FIRST -> ParameterArrangement.DENSE;
            case FLATTENED_CHANNELS_LAST -> ParameterArrangement.channelsLastFlatten(block.inputChannels(),
                    block.multiplicity());
        };
        return load(block.consumer() + "_W", arrangement);
    }

    /** A bias or psi vector as one row {@code [1, n]}. */
    private Canonical vector(String key) {
        return load(key, ParameterArrangement.DENSE);
    }

    /** Loads a parameter and its state into canonical form once; later edits of the same key act on that copy. */
    private Canonical load(String key, ParameterArrangement arrangement) {
        Canonical loaded = edited.get(key);
        if (loaded != null) {
            return loaded;
        }
        // a copy first: ND4J M2.1 can return an empty array when indexing an offset parameter view. The state
        // components are flat in the parameter's own order ('f' for dense weights, 'c' for convolutions).
        char order = graph.getParam(key).ordering();
        INDArray param = graph.getParam(key).dup(order);
        boolean vector = param.rank() == 1 || (param.rank() == 2 && param.size(0) == 1);
        INDArray value = vector ? param.reshape('c', 1, param.length()).dup('c') : arrangement.toMatrix(param);
        List<MomentKind> kinds = state == null ? List.of() : view.kinds(key);
        List<INDArray> moments = new ArrayList<>();
        if (!kinds.isEmpty()) {
            for (INDArray component : view.read(state, key)) {
                INDArray shaped = component.dup().reshape(order, param.shape());
                moments.add(vector ? shaped.reshape('c', 1, param.length()).dup('c')
                        : arrangement.toMatrix(shaped));
            }
        }
        Canonical canonical = new Canonical(arrangement, new TrackedParameter(value, kinds, moments));
        edited.put(key, canonical);
        return canonical;
    }

    /** Rows {@code from ... to - 1} of the value and of every state component, as a new tracked parameter. */
    private static TrackedParameter rows(TrackedParameter all, long from, long to) {
        List<INDArray> moments = new ArrayList<>();
        for (INDArray moment : all.moments()) {
            moments.add(sliceRows(moment, from, to));
        }
        return new TrackedParameter(sliceRows(all.value(), from, to), all.kinds(), moments);
    }

    private static INDArray sliceRows(INDArray matrix, long from, long to) {
        if (from == to) {
            return Nd4j.create(matrix.dataType(), 0, matrix.columns());
        }
        return matrix.dup('c').get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c');
    }

    /** A copy of {@code all} with the rows from {@code from} on replaced by the slice's value and state. */
    private static TrackedParameter withRows(TrackedParameter all, long from, TrackedParameter slice) {
        long to = from + slice.value().rows();
        return concatenateRows(rows(all, 0, from), slice, rows(all, to, all.value().rows()));
    }

    private static TrackedParameter concatenateRows(TrackedParameter... parts) {
        List<INDArray> values = new ArrayList<>();
        List<List<INDArray>> moments = new ArrayList<>();
        for (int i = 0; i < parts[0].moments().size(); i++) {
            moments.add(new ArrayList<>());
        }
        for (TrackedParameter part : parts) {
            if (part.value().rows() == 0) {
                continue;
            }
            values.add(part.value());
            for (int i = 0; i < moments.size(); i++) {
                moments.get(i).add(part.moments().get(i));
            }
        }
        List<INDArray> stacked = new ArrayList<>();
        for (List<INDArray> moment : moments) {
            stacked.add(Nd4j.vstack(moment.toArray(new INDArray[0])));
        }
        return new TrackedParameter(Nd4j.vstack(values.toArray(new INDArray[0])), parts[0].kinds(), stacked);
    }

    private static INDArray gaussian(long seed, long rows, long columns, INDArray like) {
        Random random = new Random(seed);
        double[] values = new double[Math.toIntExact(rows * columns)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return Nd4j.create(values, new long[] {rows, columns}, 'c').castTo(like.dataType());
    }
}
