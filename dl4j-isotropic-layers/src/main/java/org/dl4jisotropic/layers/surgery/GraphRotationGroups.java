package org.dl4jisotropic.layers.surgery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.dl4jisotropic.layers.activation.IsotropicActivation;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;

/**
 * Splits the channels of a ComputationGraph into rotation groups: for every isotropic layer, the channels it writes
 * and every block of every consumer that reads them, followed through the vertices that keep the symmetry
 * ({@link VertexSymmetry}).
 *
 * <pre>
 *   writer --(transparent vertices)--&gt; consumer              one block at offset 0
 *   writer --&gt; MergeVertex(a, writer, b) --&gt; consumer        the block at offset width(a): each branch its own group
 *   writer --&gt; consumer 1, consumer 2 (fan-out)             a block in every consumer
 *   writer 1, writer 2 --&gt; ElementWiseVertex Add --&gt; ...    one group (a residual stream): all writers and all
 *                                                            readers of the sum share one R
 * </pre>
 * A layer with an IDENTITY activation joins a group only as a writer into a residual stream (a projection shortcut)
 * or when its output passes through an isotropic {@code ActivationLayer}. Anything on a path that breaks the symmetry
 * is refused with an {@link IllegalArgumentException} that names the vertex and what to use instead; so is a path
 * that reaches a network output, and an element-wise vertex with an input that no writer of its stream provides.
 *
 * <p>The analysis reads the configuration only (it needs no input types): widths come from the layers' nOut (an
 * IsotropicDenseLayer's output has one more column, its scale), and positions behind a flatten from the
 * {@code CnnToFeedForwardPreProcessor}.
 */
public final class GraphRotationGroups {

    /** A consumer of a vertex's output, as input number {@code inputIndex} of {@code consumer}. */
    private record Edge(String consumer, int inputIndex) {
    }

    /** What following one writer (or one stream vertex) through the graph found. */
    private static final class Walk {
        final List<ConsumerBlock> blocks = new ArrayList<>();
        final Set<String> streams = new LinkedHashSet<>();
        final List<IllegalArgumentException> refusals = new ArrayList<>();
        boolean passesIsotropicActivation;
    }

    private final ComputationGraphConfiguration configuration;
    private final List<String> order;
    private final Map<String, List<Edge>> consumersOf = new HashMap<>();
    /** Per stream vertex, per input index: the width of the group that arrived there. */
    private final Map<String, Map<Integer, Long>> arrivals = new HashMap<>();
    private final Map<String, String> parent = new HashMap<>();

    private GraphRotationGroups(ComputationGraphConfiguration configuration) {
        this.configuration = configuration;
        for (Map.Entry<String, List<String>> inputs : configuration.getVertexInputs().entrySet()) {
            for (int i = 0; i < inputs.getValue().size(); i++) {
                consumersOf.computeIfAbsent(inputs.getValue().get(i), k -> new ArrayList<>())
                        .add(new Edge(inputs.getKey(), i));
            }
        }
        this.order = topologicalOrder();
    }

    /**
     * The rotation groups of a graph configuration, ordered by their first writer in topological order.
     *
     * @param configuration the graph's configuration; not modified
     * @return one group per set of channels that must rotate together
     * @throws IllegalArgumentException if a path from an isotropic layer to its consumers breaks the symmetry,
     *     naming the vertex and the replacement to use
     */
    public static List<RotationGroup> of(ComputationGraphConfiguration configuration) {
        return new GraphRotationGroups(configuration).analyze();
    }

    private List<RotationGroup> analyze() {
        Map<String, Walk> walks = new LinkedHashMap<>();
        Set<String> isotropicWriters = new LinkedHashSet<>();
        for (String name : order) {
            GraphVertex vertex = configuration.getVertices().get(name);
            if (vertex == null) {
                continue;
            }
            boolean output = configuration.getNetworkOutputs().contains(name);
            if (output && !consumersOf.containsKey(name)) {
                continue;
            }
            VertexSymmetry.WriterKind kind = VertexSymmetry.writerKind(name, vertex);
            if (kind == VertexSymmetry.WriterKind.NONE) {
                continue;
            }
            if (kind == VertexSymmetry.WriterKind.ISOTROPIC) {
                isotropicWriters.add(name);
            }
            Walk walk = new Walk();
            long width = ((FeedForwardLayer) ((LayerVertex) vertex).getLayerConf().getLayer()).getNOut();
            follow(name, 0, width, walk);
            walks.put(name, walk);
            parent.put(name, name);
        }
        // Streams reached by any writer: follow their sums too, and join everything that meets at one.
        List<String> pending = new ArrayList<>();
        for (Walk walk : walks.values()) {
            pending.addAll(walk.streams);
        }
        while (!pending.isEmpty()) {
            String stream = pending.remove(0);
            if (walks.containsKey(stream)) {
                continue;
            }
            Walk walk = new Walk();
            long width = arrivals.get(stream).values().iterator().next();
            follow(stream, 0, width, walk);
            walks.put(stream, walk);
            parent.put(stream, stream);
            pending.addAll(walk.streams);
        }
        for (Map.Entry<String, Walk> walk : walks.entrySet()) {
            for (String stream : walk.getValue().streams) {
                union(walk.getKey(), stream);
            }
        }
        return groups(walks, isotropicWriters);
    }

    private List<RotationGroup> groups(Map<String, Walk> walks, Set<String> isotropicWriters) {
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (String name : order) {
            if (walks.containsKey(name)) {
                members.computeIfAbsent(find(name), k -> new ArrayList<>()).add(name);
            }
        }
        List<RotationGroup> groups = new ArrayList<>();
        for (List<String> group : members.values()) {
            boolean isotropic = group.stream().anyMatch(m -> isotropicWriters.contains(m)
                    || walks.get(m).passesIsotropicActivation);
            if (!isotropic) {
                // Linear layers whose outputs never meet an isotropic activation: no symmetry to keep.
                continue;
            }
            List<String> writers = new ArrayList<>();
            List<String> streams = new ArrayList<>();
            List<ConsumerBlock> blocks = new ArrayList<>();
            for (String member : group) {
                Walk walk = walks.get(member);
                if (!walk.refusals.isEmpty()) {
                    throw walk.refusals.get(0);
                }
                (configuration.getVertices().get(member) instanceof ElementWiseVertex ? streams : writers)
                        .add(member);
                blocks.addAll(walk.blocks);
            }
            for (String stream : streams) {
                requireEveryInputWritten(stream, group);
            }
            blocks.sort(Comparator.comparingInt(b -> order.indexOf(b.consumer())));
            groups.add(new RotationGroup(writers, width(writers, streams), blocks, streams));
        }
        return groups;
    }

    /** Follows the channels {@code [offset, offset + width)} of a vertex's output to every consumer. */
    private void follow(String source, long offset, long width, Walk walk) {
        if (configuration.getNetworkOutputs().contains(source)) {
            walk.refusals.add(new IllegalArgumentException("vertex \"" + source + "\" is a network output and "
                    + "carries isotropic channels: a rotation would change the network's output; let a layer read "
                    + "them (e.g. an OutputLayer)"));
            return;
        }
        for (Edge edge : consumersOf.getOrDefault(source, List.of())) {
            String name = edge.consumer();
            GraphVertex vertex = configuration.getVertices().get(name);
            VertexSymmetry.Role role;
            try {
                role = VertexSymmetry.role(name, vertex);
            } catch (IllegalArgumentException e) {
                walk.refusals.add(e);
                continue;
            }
            switch (role) {
                case CONSUMER -> walk.blocks.add(block(name, (LayerVertex) vertex, offset, width));
                case TRANSPARENT -> {
                    walk.passesIsotropicActivation |= isIsotropicActivationLayer(vertex);
                    follow(name, offset, width, walk);
                }
                case MERGE -> {
                    long before = widthBefore(name, edge.inputIndex(), walk);
                    if (before >= 0) {
                        follow(name, offset + before, width, walk);
                    }
                }
                case STREAM -> arrive(name, edge.inputIndex(), offset, width, walk);
                default -> throw new IllegalStateException("unknown role " + role);
            }
        }
    }

    private void arrive(String stream, int inputIndex, long offset, long width, Walk walk) {
        Map<Integer, Long> byInput = arrivals.computeIfAbsent(stream, k -> new HashMap<>());
        long expected = byInput.isEmpty() ? width : byInput.values().iterator().next();
        if (offset != 0 || width != expected) {
            walk.refusals.add(new IllegalArgumentException("vertex \"" + stream + "\" (element-wise) receives "
                    + "isotropic channels at offset " + offset + " with width " + width + " on input " + inputIndex
                    + ": a residual stream must join whole outputs of equal width (" + expected + ")"));
            return;
        }
        byInput.put(inputIndex, width);
        walk.streams.add(stream);
    }

    private void requireEveryInputWritten(String stream, List<String> group) {
        List<String> inputs = configuration.getVertexInputs().get(stream);
        Map<Integer, Long> byInput = arrivals.getOrDefault(stream, Map.of());
        for (int i = 0; i < inputs.size(); i++) {
            if (!byInput.containsKey(i)) {
                throw new IllegalArgumentException("vertex \"" + stream + "\" (element-wise) joins the residual "
                        + "stream of " + group + ", but its input " + i + " (\"" + inputs.get(i) + "\") does not "
                        + "come from a writer the stream can rotate; feed it from a DenseLayer or ConvolutionLayer "
                        + "with an isotropic or IDENTITY activation (a projection)");
            }
        }
    }

    private long width(List<String> writers, List<String> streams) {
        long width = -1;
        for (String writer : writers) {
            long nOut = ((FeedForwardLayer) ((LayerVertex) configuration.getVertices().get(writer)).getLayerConf()
                    .getLayer()).getNOut();
            if (width >= 0 && nOut != width) {
                throw new IllegalArgumentException("the writers " + writers + " of the residual stream through "
                        + streams + " must have equal nOut, found " + width + " and " + nOut + " (\"" + writer
                        + "\")");
            }
            width = nOut;
        }
        return width;
    }

    private ConsumerBlock block(String name, LayerVertex vertex, long offset, long width) {
        Layer layer = vertex.getLayerConf().getLayer();
        if (layer instanceof ConvolutionLayer) {
            int[] kernel = ((ConvolutionLayer) layer).getKernelSize();
            return new ConsumerBlock(name, offset, width, ((ConvolutionLayer) layer).getNIn(),
                    (long) kernel[0] * kernel[1], BlockLayout.CONVOLUTION);
        }
        InputPreProcessor preprocessor = vertex.getPreProcessor();
        if (preprocessor instanceof CnnToFeedForwardPreProcessor) {
            CnnToFeedForwardPreProcessor flatten = (CnnToFeedForwardPreProcessor) preprocessor;
            BlockLayout layout = flatten.getFormat() == CNN2DFormat.NHWC ? BlockLayout.FLATTENED_CHANNELS_LAST
                    : BlockLayout.FLATTENED_CHANNELS_FIRST;
            return new ConsumerBlock(name, offset, width, flatten.getNumChannels(),
                    flatten.getInputHeight() * flatten.getInputWidth(), layout);
        }
        return new ConsumerBlock(name, offset, width, ((FeedForwardLayer) layer).getNIn(), 1, BlockLayout.FEATURES);
    }

    /** The channels of a merge vertex's inputs before input {@code index}, or -1 (with a refusal) if unknown. */
    private long widthBefore(String merge, int index, Walk walk) {
        long before = 0;
        List<String> inputs = configuration.getVertexInputs().get(merge);
        for (int i = 0; i < index; i++) {
            long columns = columns(inputs.get(i));
            if (columns < 0) {
                walk.refusals.add(new IllegalArgumentException("vertex \"" + merge + "\" (MergeVertex): the width of "
                        + "its input " + i + " (\"" + inputs.get(i) + "\") cannot be read from the configuration, so "
                        + "the offset of the isotropic branch is unknown; put that input behind a layer, or after "
                        + "the isotropic branch"));
                return -1;
            }
            before += columns;
        }
        return before;
    }

    /** The channels of a vertex's output, or -1 where the configuration does not tell (network inputs). */
    private long columns(String name) {
        GraphVertex vertex = configuration.getVertices().get(name);
        List<String> inputs = configuration.getVertexInputs().get(name);
        if (vertex instanceof LayerVertex) {
            Layer layer = ((LayerVertex) vertex).getLayerConf().getLayer();
            if (layer instanceof FeedForwardLayer) {
                return ((FeedForwardLayer) layer).getNOut() + (layer instanceof IsotropicDenseLayer ? 1 : 0);
            }
            return layer instanceof NoParamLayer ? columns(inputs.get(0)) : -1;
        }
        if (vertex instanceof MergeVertex) {
            long sum = 0;
            for (String input : inputs) {
                long columns = columns(input);
                if (columns < 0) {
                    return -1;
                }
                sum += columns;
            }
            return sum;
        }
        if (vertex instanceof ElementWiseVertex || vertex instanceof ScaleVertex
                || vertex instanceof L2NormalizeVertex) {
            return columns(inputs.get(0));
        }
        return -1;
    }

    private static boolean isIsotropicActivationLayer(GraphVertex vertex) {
        return vertex instanceof LayerVertex && ((LayerVertex) vertex).getLayerConf().getLayer()
                instanceof ActivationLayer activationLayer
                && activationLayer.getActivationFn() instanceof IsotropicActivation;
    }

    /** Kahn's algorithm over the configuration, ties broken by the configuration's vertex order. */
    private List<String> topologicalOrder() {
        Map<String, Integer> pendingInputs = new LinkedHashMap<>();
        for (String input : configuration.getNetworkInputs()) {
            pendingInputs.put(input, 0);
        }
        for (String name : configuration.getVertices().keySet()) {
            pendingInputs.put(name, configuration.getVertexInputs().getOrDefault(name, List.of()).size());
        }
        List<String> sorted = new ArrayList<>();
        List<String> ready = new ArrayList<>();
        pendingInputs.forEach((name, count) -> {
            if (count == 0) {
                ready.add(name);
            }
        });
        while (!ready.isEmpty()) {
            String name = ready.remove(0);
            sorted.add(name);
            for (Edge edge : consumersOf.getOrDefault(name, List.of())) {
                if (pendingInputs.merge(edge.consumer(), -1, Integer::sum) == 0) {
                    ready.add(edge.consumer());
                }
            }
        }
        return sorted;
    }

    private String find(String name) {
        String root = name;
        while (!parent.get(root).equals(root)) {
            root = parent.get(root);
        }
        return root;
    }

    private void union(String a, String b) {
        String rootA = find(a);
        String rootB = find(b);
        if (!rootA.equals(rootB)) {
            parent.put(rootB, rootA);
        }
    }
}
