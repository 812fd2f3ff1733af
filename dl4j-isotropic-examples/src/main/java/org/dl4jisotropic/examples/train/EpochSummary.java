package org.dl4jisotropic.examples.train;

import java.util.List;

import org.dl4jisotropic.layers.adapt.AdaptationEvent;

/**
 * One epoch of a training run, as it appears in report.json.
 *
 * @param epoch             epoch, from 1
 * @param widths            hidden widths at the end of the epoch (after any adaptation)
 * @param trainLoss         mean minibatch loss over the epoch
 * @param testAccuracy      accuracy on the active classes' test examples
 * @param seconds           wall time of the epoch, adaptation included
 * @param examplesPerSecond training throughput
 * @param activeClasses     the classes trained in this epoch
 * @param events            adaptation events of the epoch
 */
public record EpochSummary(int epoch, List<Long> widths, double trainLoss, double testAccuracy, double seconds,
                           double examplesPerSecond, List<Integer> activeClasses, List<AdaptationEvent> events) {

    /** Copies the lists. */
    public EpochSummary {
        widths = List.copyOf(widths);
        activeClasses = List.copyOf(activeClasses);
        events = List.copyOf(events);
    }
}
