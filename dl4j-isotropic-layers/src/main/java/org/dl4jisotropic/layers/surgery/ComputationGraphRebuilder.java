package org.dl4jisotropic.layers.surgery;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.EnumMap;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.Solver;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Re-initializes an existing ComputationGraph object with a new configuration, parameters and updater state, so that
 * every reference a user (or a running {@code fit}) holds to the graph stays valid across a resize: the counterpart
 * of {@link NetworkRebuilder} for graphs.
 *
 * <p>Afterwards the graph looks like a new {@code ComputationGraph} built from the same configuration and parameters
 * (vertices, layers, parameter table, updater blocks), with three things carried over: the iteration and epoch counts
 * (copied into the new configuration, where DL4J keeps them), the listeners, and the last score. The gradient is null
 * until the next backward pass, as in a new graph. Surgery changes sizes, never the topology: the new configuration
 * must have the same vertices, vertex inputs, network inputs and outputs, which is why the cached topological order
 * and graph indices are kept.
 *
 * @implNote Pinned to DL4J {@value #PINNED_DL4J_VERSION}. That release has no public way to do this
 *     ({@code init()} returns at once on an initialized graph, and {@code setParams} cannot change lengths). The
 *     protected fields listed in {@link Internal} are reset by reflection, after which the public
 *     {@code init(params, false)}, {@code setGradient(null)} and the one-argument
 *     {@code getUpdater().setStateViewArray(state)} rebuild everything (the three-argument form takes a
 *     {@code Trainable}, which a graph is not). Every field is looked up and type-checked before the first one is
 *     written, so a DL4J upgrade that renames or retypes one fails here, naming it, with the graph untouched.
 *     {@code ComputationGraphInternalsCanaryTest} lists every declared field of {@code ComputationGraph} and why it
 *     is reset or kept.
 */
final class ComputationGraphRebuilder {

    /** The DL4J release whose {@code ComputationGraph} internals this class resets: the package's one pin. */
    static final String PINNED_DL4J_VERSION = UpdaterStateKinds.PINNED_DL4J_VERSION;

    /**
     * The protected fields of {@code ComputationGraph} (DL4J {@value #PINNED_DL4J_VERSION}) a rebuild writes, with
     * their declared types, in the order they are written.
     */
    enum Internal {
        /** The graph's configuration, read by {@code init}; it also holds the iteration and epoch counts. */
        CONFIGURATION("configuration", ComputationGraphConfiguration.class),
        /** The runtime vertices, holding the old layers; {@code init} builds new ones only when this is null. */
        VERTICES("vertices", org.deeplearning4j.nn.graph.vertex.GraphVertex[].class),
        /** Vertices by name, holding the old vertices; {@code init} fills a new map when this is null. */
        VERTICES_MAP("verticesMap", Map.class),
        /** The layers of the layer vertices, in topological order; rebuilt by {@code init}. */
        LAYERS("layers", Layer[].class),
        /** The flat parameters the layers' parameter views point into; {@code init} adopts the new ones. */
        FLATTENED_PARAMS("flattenedParams", INDArray.class),
        /** The flat gradient the layers' gradient views point into; re-created at the next backward pass. */
        FLATTENED_GRADIENTS("flattenedGradients", INDArray.class),
        /** Solver, optimizer and updater, sized for the old parameters; built again (lazily) when null. */
        SOLVER("solver", Solver.class),
        /** Set last: {@code init} returns at once while it is true. */
        INIT_CALLED("initCalled", boolean.class);

        private final String fieldName;
        private final Class<?> type;

        Internal(String fieldName, Class<?> type) {
            this.fieldName = fieldName;
            this.type = type;
        }

        /** The declared name of the field in {@code ComputationGraph}. */
        String fieldName() {
            return fieldName;
        }

        /** The declared (raw) type of the field. */
        Class<?> type() {
            return type;
        }
    }

    private ComputationGraphRebuilder() {
    }

    /**
     * Rebuilds the graph in place.
     *
     * @param graph         the graph. Modified.
     * @param configuration its new configuration (adopted; its iteration and epoch counts are overwritten with the
     *                      graph's), with the same vertices, vertex inputs, network inputs and outputs as the current
     *                      one
     * @param parameters    new flat parameters, matching the configuration; adopted, not copied (the graph's
     *                      parameter views point into this array afterwards)
     * @param updaterState  new flat updater state, or null to keep the state a new graph starts with; copied
     * @throws IllegalArgumentException if the configuration changes the topology, or the parameters or the updater
     *     state do not match it; nothing is changed then
     * @throws IllegalStateException if a field is missing or has another type than in DL4J
     *     {@value #PINNED_DL4J_VERSION}; nothing is changed then
     */
    static void rebuild(ComputationGraph graph, ComputationGraphConfiguration configuration, INDArray parameters,
                        INDArray updaterState) {
        requireSameTopology(graph.getConfiguration(), configuration);
        requireMatchingParameters(configuration, parameters);
        requireMatchingState(configuration, updaterState);
        Map<Internal, Field> fields = resolve();
        configuration.setIterationCount(graph.getConfiguration().getIterationCount());
        configuration.setEpochCount(graph.getConfiguration().getEpochCount());
        // Same topology, so the cached order (read by init, the updater and the listeners' vertex lookups) is valid.
        configuration.setTopologicalOrder(graph.getConfiguration().getTopologicalOrder());
        configuration.setTopologicalOrderStr(graph.getConfiguration().getTopologicalOrderStr());
        set(fields, graph, Internal.CONFIGURATION, configuration);
        set(fields, graph, Internal.VERTICES, null);
        set(fields, graph, Internal.VERTICES_MAP, null);
        set(fields, graph, Internal.LAYERS, null);
        set(fields, graph, Internal.FLATTENED_PARAMS, null);
        set(fields, graph, Internal.FLATTENED_GRADIENTS, null);
        set(fields, graph, Internal.SOLVER, null);
        set(fields, graph, Internal.INIT_CALLED, false);
        graph.init(parameters, false);
        // The old gradient has the old shapes and views into the dropped gradient array; a new graph has none.
        graph.setGradient(null);
        if (updaterState != null) {
            graph.getUpdater().setStateViewArray(updaterState);
        }
    }

    /**
     * Every field of {@link Internal}, looked up and checked before anything is written.
     *
     * @throws IllegalStateException naming the first field that is missing, static or of another type
     */
    static Map<Internal, Field> resolve() {
        Map<Internal, Field> fields = new EnumMap<>(Internal.class);
        for (Internal internal : Internal.values()) {
            Field field;
            try {
                field = ComputationGraph.class.getDeclaredField(internal.fieldName());
                field.setAccessible(true);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("cannot access ComputationGraph." + internal.fieldName()
                        + " (expected in DL4J " + PINNED_DL4J_VERSION + "): this DL4J version is not supported by "
                        + "in-place surgery", e);
            }
            if (field.getType() != internal.type() || Modifier.isStatic(field.getModifiers())
                    || Modifier.isFinal(field.getModifiers())) {
                throw new IllegalStateException("ComputationGraph." + internal.fieldName() + " must be a non-final "
                        + "instance field of type " + internal.type().getName() + " as in DL4J " + PINNED_DL4J_VERSION
                        + ", found " + Modifier.toString(field.getModifiers()) + " " + field.getType().getName());
            }
            fields.put(internal, field);
        }
        return fields;
    }

    private static void requireSameTopology(ComputationGraphConfiguration current,
                                            ComputationGraphConfiguration configuration) {
        if (configuration == null) {
            throw new IllegalArgumentException("configuration must not be null");
        }
        if (!configuration.getNetworkInputs().equals(current.getNetworkInputs())
                || !configuration.getNetworkOutputs().equals(current.getNetworkOutputs())) {
            throw new IllegalArgumentException("a rebuild must keep the network inputs " + current.getNetworkInputs()
                    + " and outputs " + current.getNetworkOutputs() + ", found " + configuration.getNetworkInputs()
                    + " and " + configuration.getNetworkOutputs());
        }
        if (!configuration.getVertices().keySet().equals(current.getVertices().keySet())) {
            throw new IllegalArgumentException("a rebuild must keep the vertices " + current.getVertices().keySet()
                    + ", found " + configuration.getVertices().keySet());
        }
        for (Map.Entry<String, GraphVertex> vertex : current.getVertices().entrySet()) {
            String name = vertex.getKey();
            if (configuration.getVertices().get(name).getClass() != vertex.getValue().getClass()
                    || !configuration.getVertexInputs().get(name).equals(current.getVertexInputs().get(name))) {
                throw new IllegalArgumentException("a rebuild must keep vertex \"" + name + "\" ("
                        + vertex.getValue().getClass().getSimpleName() + ", inputs "
                        + current.getVertexInputs().get(name) + "), found "
                        + configuration.getVertices().get(name).getClass().getSimpleName() + ", inputs "
                        + configuration.getVertexInputs().get(name));
            }
        }
    }

    private static void requireMatchingParameters(ComputationGraphConfiguration configuration, INDArray parameters) {
        long expected = 0;
        for (GraphVertex vertex : configuration.getVertices().values()) {
            expected += vertex.numParams(true);
        }
        if (parameters == null || parameters.length() != expected) {
            throw new IllegalArgumentException("parameters must have the configuration's length " + expected
                    + ", found " + (parameters == null ? "null" : String.valueOf(parameters.length())));
        }
    }

    /**
     * The length the configuration's updater state has: the sum over every parameter of its updater's state size
     * (DL4J's updater blocks partition the parameters, so their grouping does not change the total).
     */
    static long stateLength(ComputationGraphConfiguration configuration) {
        long length = 0;
        for (GraphVertex vertex : configuration.getVertices().values()) {
            if (!(vertex instanceof LayerVertex) || vertex.numParams(true) == 0) {
                continue;
            }
            NeuralNetConfiguration conf = ((LayerVertex) vertex).getLayerConf();
            // Views only (no initialization), to learn each parameter's length from DL4J's own initializer.
            INDArray scratch = Nd4j.createUninitialized(configuration.getDataType(), 1, vertex.numParams(true));
            for (Map.Entry<String, INDArray> parameter : conf.getLayer().initializer().init(conf, scratch, false)
                    .entrySet()) {
                length += conf.getLayer().getUpdaterByParam(parameter.getKey())
                        .stateSize(parameter.getValue().length());
            }
        }
        return length;
    }

    private static void requireMatchingState(ComputationGraphConfiguration configuration, INDArray updaterState) {
        if (updaterState == null) {
            return;
        }
        long expected = stateLength(configuration);
        if (updaterState.length() != expected) {
            throw new IllegalArgumentException("updater state must have the configuration's length " + expected
                    + ", found " + updaterState.length());
        }
    }

    private static void set(Map<Internal, Field> fields, ComputationGraph graph, Internal internal, Object value) {
        try {
            fields.get(internal).set(graph, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot reset ComputationGraph." + internal.fieldName()
                    + " (expected in DL4J " + PINNED_DL4J_VERSION + ")", e);
        }
    }
}
