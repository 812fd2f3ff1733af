package org.dl4jisotropic.layers.surgery;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;

/**
 * Produces the configuration of a graph in which one rotation group has another width: every writer's nOut, every
 * consumer's nIn, and the channel count cached in the consumers' flatten preprocessors change together.
 *
 * <pre>
 *   writer:                       nOut = newWidth
 *   consumer block (k, layout):   nIn += (newWidth - width) * layout.nInPerChannel(k)
 *   CnnToFeedForwardPreProcessor: numChannels += newWidth - width    (DL4J keeps it; a stale one throws at forward)
 * </pre>
 * A consumer with several blocks of the group (a fan-out that merges again) changes once per block. Nothing else is
 * touched: merge vertices, pooling and padding layers take their sizes from their inputs at run time. The offsets of
 * other groups' blocks behind a merge move; analyze the resized configuration again to get them.
 */
final class GraphConfigurationResizer {

    private GraphConfigurationResizer() {
    }

    /**
     * A copy of the configuration with the group at a new width.
     *
     * @param configuration the graph's configuration; not modified
     * @param group         a rotation group of that configuration ({@link GraphRotationGroups#of})
     * @param newWidth      the group's new number of channels; at least 1
     * @return the resized copy (iteration and epoch counts copied as they are)
     * @throws IllegalArgumentException if the width is below 1, or the group does not describe the configuration
     *     (a writer's nOut differs from the group's width, or a vertex is missing)
     */
    static ComputationGraphConfiguration resized(ComputationGraphConfiguration configuration, RotationGroup group,
                                                 long newWidth) {
        if (newWidth < 1) {
            throw new IllegalArgumentException("the new width of the group of " + group.writers()
                    + " must be at least 1, found " + newWidth);
        }
        ComputationGraphConfiguration resized = configuration.clone();
        long delta = newWidth - group.width();
        for (String writer : group.writers()) {
            FeedForwardLayer layer = layer(resized, writer);
            if (layer.getNOut() != group.width()) {
                throw new IllegalArgumentException("writer \"" + writer + "\" has nOut " + layer.getNOut()
                        + ", but the group says " + group.width() + ": analyze the configuration again");
            }
            layer.setNOut(newWidth);
        }
        for (ConsumerBlock block : group.consumers()) {
            FeedForwardLayer layer = layer(resized, block.consumer());
            layer.setNIn(layer.getNIn() + delta * block.layout().nInPerChannel(block.multiplicity()));
            if (block.layout() == BlockLayout.FLATTENED_CHANNELS_FIRST
                    || block.layout() == BlockLayout.FLATTENED_CHANNELS_LAST) {
                CnnToFeedForwardPreProcessor flatten = (CnnToFeedForwardPreProcessor)
                        ((LayerVertex) resized.getVertices().get(block.consumer())).getPreProcessor();
                flatten.setNumChannels(flatten.getNumChannels() + delta);
            }
        }
        return resized;
    }

    private static FeedForwardLayer layer(ComputationGraphConfiguration configuration, String name) {
        GraphVertex vertex = configuration.getVertices().get(name);
        if (!(vertex instanceof LayerVertex)
                || !(((LayerVertex) vertex).getLayerConf().getLayer() instanceof FeedForwardLayer)) {
            throw new IllegalArgumentException("vertex \"" + name + "\" must be a layer with nIn and nOut, found "
                    + (vertex == null ? "no such vertex" : vertex.getClass().getSimpleName()));
        }
        return (FeedForwardLayer) ((LayerVertex) vertex).getLayerConf().getLayer();
    }
}
