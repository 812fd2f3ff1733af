package org.dl4jisotropic.spark;

import java.util.List;

import org.dl4jisotropic.layers.adapt.AdaptationEvent;

/**
 * One round of {@link AdaptiveSparkTrainer}: a Spark {@code fit()} over the whole RDD (one epoch), then, when the
 * adaptation schedule says so, one adaptation round on the driver.
 *
 * @param epoch          zero-based index of the epoch this round trained
 * @param iterationCount the driver network's iteration count after the round (DL4J's parameter averaging adds its
 *                       averaging frequency once per split, so this counts per-worker steps, not minibatches)
 * @param score          mean minibatch loss of the last averaging split, as reported by the workers
 * @param widths         hidden widths after the round (after any adaptation)
 * @param events         the adaptation events of this round, one per adapting layer; empty if none was due
 * @param fitSeconds     wall time of the Spark fit
 * @param adaptSeconds   wall time of the adaptation on the driver (0 if none ran)
 */
public record SparkRound(int epoch, int iterationCount, double score, List<Long> widths,
                         List<AdaptationEvent> events, double fitSeconds, double adaptSeconds) {

    /** Copies the lists. */
    public SparkRound {
        widths = List.copyOf(widths);
        events = List.copyOf(events);
    }
}
