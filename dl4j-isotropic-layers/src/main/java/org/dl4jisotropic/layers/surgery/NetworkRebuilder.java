package org.dl4jisotropic.layers.surgery;

import java.lang.reflect.Field;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Re-initialises an existing MultiLayerNetwork object with a new configuration, parameters and updater state, so
 * that every reference a user holds to the network stays valid across a resize.
 *
 * @implNote DL4J 1.0.0-M2.1 has no public way to do this ({@code init()} returns at once on an initialised network,
 *     and {@code setParams} cannot change lengths). The fields involved ({@code layerWiseConfigurations},
 *     {@code layers}, {@code layerMap}, {@code flattenedParams}, {@code flattenedGradients}, {@code solver},
 *     {@code initCalled}) are protected, so they are reset by reflection, after which the public
 *     {@code init(params, false)} and {@code setStateViewArray} rebuild everything. Pinned to M2.1 and covered by
 *     tests; a DL4J upgrade that renames a field fails here with a message naming it.
 */
final class NetworkRebuilder {

    private NetworkRebuilder() {
    }

    /**
     * Rebuilds the network in place.
     *
     * @param net           the network. Modified.
     * @param configuration its new configuration (adopted)
     * @param parameters    new flat parameters, matching the configuration; adopted, not copied (the network's
     *                      parameter views point into this array afterwards)
     * @param updaterState  new flat updater state, or null if the updaters keep none; copied
     */
    static void rebuild(MultiLayerNetwork net, MultiLayerConfiguration configuration, INDArray parameters,
                        INDArray updaterState) {
        set(net, "layerWiseConfigurations", configuration);
        set(net, "layers", null);
        set(net, "layerMap", null);
        set(net, "flattenedParams", null);
        set(net, "flattenedGradients", null);
        set(net, "solver", null);
        set(net, "initCalled", false);
        net.init(parameters, false);
        if (updaterState != null) {
            net.getUpdater().setStateViewArray(net, updaterState, false);
        }
    }

    private static void set(MultiLayerNetwork net, String name, Object value) {
        try {
            Field field = MultiLayerNetwork.class.getDeclaredField(name);
            field.setAccessible(true);
            field.set(net, value);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reset MultiLayerNetwork." + name + " (expected in DL4J 1.0.0-M2.1)",
                    e);
        }
    }
}
