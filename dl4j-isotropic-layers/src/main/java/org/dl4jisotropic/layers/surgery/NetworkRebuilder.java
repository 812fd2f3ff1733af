package org.dl4jisotropic.layers.surgery;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.Solver;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Re-initializes an existing MultiLayerNetwork object with a new configuration, parameters and updater state, so
 * that every reference a user holds to the network stays valid across a resize.
 *
 * <p>Afterwards the network looks like a new {@code MultiLayerNetwork} built from the same configuration and
 * parameters: {@code conf()}, {@code getLayerWiseConfigurations()}, {@code summary()}, the layers and the updater
 * describe the new shapes; {@code gradient()} and {@code getGradientsViewArray()} are null until the next gradient
 * computation (the old ones belong to the old shapes). Two things are kept on purpose: {@code score()} (the last
 * computed score, which listeners called after a resizing listener in the same iteration still read) and everything
 * that does not depend on the layer sizes (listeners, input, labels, masks, workspace configurations).
 *
 * @implNote Pinned to DL4J {@value #PINNED_DL4J_VERSION}. That release has no public way to do this
 *     ({@code init()} returns at once on an initialized network, and {@code setParams} cannot change lengths). The
 *     protected fields listed in {@link Internal} are reset by reflection, after which the public
 *     {@code init(params, false)}, {@code setGradient(null)} and {@code setStateViewArray} rebuild everything.
 *     Every field is looked up and type-checked before the first one is written, so a DL4J upgrade that renames or
 *     retypes one fails here, naming it, with the network untouched. {@code MultiLayerNetworkInternalsCanaryTest}
 *     lists every declared field of {@code MultiLayerNetwork} and why it is reset or kept: an upgrade that adds,
 *     removes or retypes any of them fails there first.
 */
final class NetworkRebuilder {

    /** The DL4J release whose {@code MultiLayerNetwork} internals this class resets: the package's one pin. */
    static final String PINNED_DL4J_VERSION = UpdaterStateKinds.PINNED_DL4J_VERSION;

    /**
     * The protected fields of {@code MultiLayerNetwork} (DL4J {@value #PINNED_DL4J_VERSION}) a rebuild writes, with
     * their declared types, in the order they are written.
     */
    enum Internal {
        /** The network's configuration, read by {@code init} and {@code getLayerWiseConfigurations()}. */
        LAYER_WISE_CONFIGURATIONS("layerWiseConfigurations", MultiLayerConfiguration.class),
        /**
         * The constructor's clone of layer 0's configuration: what {@code conf()} returns and what the solver is
         * configured from; {@code init} only refreshes its variable list, never its layer.
         */
        DEFAULT_CONFIGURATION("defaultConfiguration", NeuralNetConfiguration.class),
        /** The layer objects; {@code init} builds new ones only when this is null. */
        LAYERS("layers", Layer[].class),
        /** Layers by name, holding the old layer objects; {@code init} creates a new map when this is null. */
        LAYER_MAP("layerMap", LinkedHashMap.class),
        /** The flat parameters the layers' parameter views point into; {@code init} adopts the new ones. */
        FLATTENED_PARAMS("flattenedParams", INDArray.class),
        /** The flat gradient the layers' gradient views point into; re-created at the next backward pass. */
        FLATTENED_GRADIENTS("flattenedGradients", INDArray.class),
        /** Solver, optimizer and updater, sized for the old parameters; {@code init} builds a new one when null. */
        SOLVER("solver", Solver.class),
        /** Set last: {@code init} returns at once while it is true. */
        INIT_CALLED("initCalled", boolean.class);

        private final String fieldName;
        private final Class<?> type;

        Internal(String fieldName, Class<?> type) {
            this.fieldName = fieldName;
            this.type = type;
        }

        /** The declared name of the field in {@code MultiLayerNetwork}. */
        String fieldName() {
            return fieldName;
        }

        /** The declared (raw) type of the field. */
        Class<?> type() {
            return type;
        }
    }

    private NetworkRebuilder() {
    }

    /**
     * Rebuilds the network in place.
     *
     * @param net           the network. Modified.
     * @param configuration its new configuration (adopted), with as many layers and input preprocessors as the
     *                      current one (surgery resizes layers, it never adds or removes them)
     * @param parameters    new flat parameters, matching the configuration; adopted, not copied (the network's
     *                      parameter views point into this array afterwards)
     * @param updaterState  new flat updater state, or null to keep the state a new network starts with; copied
     * @throws IllegalArgumentException if the configuration changes the number of layers or preprocessors, or the
     *     parameters do not match it; nothing is changed then
     * @throws IllegalStateException if a field is missing or has another type than in DL4J
     *     {@value #PINNED_DL4J_VERSION}; nothing is changed then
     */
    static void rebuild(MultiLayerNetwork net, MultiLayerConfiguration configuration, INDArray parameters,
                        INDArray updaterState) {
        requireSameTopology(net, configuration, parameters);
        Map<Internal, Field> fields = resolve();
        set(fields, net, Internal.LAYER_WISE_CONFIGURATIONS, configuration);
        // What the constructor of a new network does; left alone, conf() keeps describing the old layer 0.
        set(fields, net, Internal.DEFAULT_CONFIGURATION, configuration.getConf(0).clone());
        set(fields, net, Internal.LAYERS, null);
        set(fields, net, Internal.LAYER_MAP, null);
        set(fields, net, Internal.FLATTENED_PARAMS, null);
        set(fields, net, Internal.FLATTENED_GRADIENTS, null);
        set(fields, net, Internal.SOLVER, null);
        set(fields, net, Internal.INIT_CALLED, false);
        net.init(parameters, false);
        // The old gradient has the old shapes and views into the dropped gradient array; a new network has none.
        net.setGradient(null);
        if (updaterState != null) {
            net.getUpdater().setStateViewArray(net, updaterState, false);
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
                field = MultiLayerNetwork.class.getDeclaredField(internal.fieldName());
                field.setAccessible(true);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("cannot access MultiLayerNetwork." + internal.fieldName()
                        + " (expected in DL4J " + PINNED_DL4J_VERSION + "): this DL4J version is not supported by "
                        + "in-place surgery", e);
            }
            if (field.getType() != internal.type() || Modifier.isStatic(field.getModifiers())) {
                throw new IllegalStateException("MultiLayerNetwork." + internal.fieldName() + " must be an instance "
                        + "field of type " + internal.type().getName() + " as in DL4J " + PINNED_DL4J_VERSION
                        + ", found " + Modifier.toString(field.getModifiers()) + " " + field.getType().getName());
            }
            fields.put(internal, field);
        }
        return fields;
    }

    private static void requireSameTopology(MultiLayerNetwork net, MultiLayerConfiguration configuration,
                                            INDArray parameters) {
        MultiLayerConfiguration current = net.getLayerWiseConfigurations();
        // The workspace configurations a network sizes in its constructor depend on these two counts only.
        if (configuration.getConfs().size() != current.getConfs().size()
                || configuration.getInputPreProcessors().size() != current.getInputPreProcessors().size()) {
            throw new IllegalArgumentException("a rebuild must keep the number of layers and input preprocessors ("
                    + current.getConfs().size() + " and " + current.getInputPreProcessors().size() + "), found "
                    + configuration.getConfs().size() + " and " + configuration.getInputPreProcessors().size());
        }
        long expected = 0;
        for (NeuralNetConfiguration layer : configuration.getConfs()) {
            expected += layer.getLayer().initializer().numParams(layer);
        }
        if (parameters == null || parameters.length() != expected) {
            throw new IllegalArgumentException("parameters must have the configuration's length " + expected
                    + ", found " + (parameters == null ? "null" : String.valueOf(parameters.length())));
        }
    }

    private static void set(Map<Internal, Field> fields, MultiLayerNetwork net, Internal internal, Object value) {
        try {
            fields.get(internal).set(net, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot reset MultiLayerNetwork." + internal.fieldName()
                    + " (expected in DL4J " + PINNED_DL4J_VERSION + ")", e);
        }
    }
}
