package org.dl4jisotropic.layers.adapt;

/** Receives every {@link AdaptationEvent} of a {@link NeuroadaptationListener}, on the training thread. */
@FunctionalInterface
public interface AdaptationEventSink {

    /**
     * Called once per adapting layer per round, after the round has been installed.
     *
     * @param event what happened
     */
    void accept(AdaptationEvent event);
}
