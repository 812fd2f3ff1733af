package org.dl4jisotropic.layers.surgery;

import java.util.List;
import java.util.Optional;

/**
 * A set of channels of a ComputationGraph that one orthogonal map R must act on together for the function to stay
 * unchanged: the outputs of its writers ({@code W <- R^T W}, {@code b <- R^T b}, on the output side of each writer)
 * and one block of the input of every consumer that reads them ({@code W_consumer <- W_consumer R}, per block).
 *
 * <p>Usually a group has one writer, an isotropic layer. Writers joined by an {@code ElementWiseVertex} (add,
 * subtract, average) form a residual stream: they share one R, so they grow and shrink together. Exact removal of a
 * channel inside a stream is not available (see {@link #removalRefusal()}).
 *
 * @param writers        the layer vertices whose outputs are the group's channels, in topological order
 * @param width          the number of channels (every writer's nOut)
 * @param consumers      every consumer block, in topological order of the consumers
 * @param streamVertices the element-wise vertices that join the writers into a residual stream (empty if none)
 */
public record RotationGroup(List<String> writers, long width, List<ConsumerBlock> consumers,
                            List<String> streamVertices) {

    /** Copies the lists. */
    public RotationGroup {
        writers = List.copyOf(writers);
        consumers = List.copyOf(consumers);
        streamVertices = List.copyOf(streamVertices);
    }

    /** Whether the writers share their channels through element-wise vertices. */
    public boolean isResidualStream() {
        return !streamVertices.isEmpty();
    }

    /**
     * Why channels of this group cannot be removed exactly, or empty if they can (with the usual o and psi updates).
     * Inside a residual stream a channel is the sum of several writers' coordinates; its removal would need every
     * writer's coordinate to be constant and the scales of all writers to be corrected separately, which the
     * element-wise sum of their outputs does not allow.
     */
    public Optional<String> removalRefusal() {
        if (!isResidualStream()) {
            return Optional.empty();
        }
        return Optional.of("the channels of " + writers + " form a residual stream through " + streamVertices
                + ": exact removal inside a residual stream is not supported (a removed channel is the sum of "
                + "several writers' coordinates); grow the stream, or remove channels of layers outside it");
    }
}
