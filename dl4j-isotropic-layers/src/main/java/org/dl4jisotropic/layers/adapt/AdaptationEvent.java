package org.dl4jisotropic.layers.adapt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dl4jisotropic.core.surgery.SurgeryOperation;
import org.dl4jisotropic.core.surgery.SurgeryReport;

/**
 * What one adaptation round did to one hidden layer during training.
 *
 * @param epoch       zero-based epoch in which the round ran
 * @param iteration   network iteration count when the round ran
 * @param report      the surgery on this layer: operation (GROW, SHRINK, or DIAGONALIZE_LEFT when the width stayed),
 *                    count, removed singular values, error bound, measured max logit change on the probe batch
 * @param widths      widths of every hidden layer after the round
 * @param wallSeconds wall time of the whole round
 */
public record AdaptationEvent(int epoch, int iteration, SurgeryReport report, List<Long> widths, double wallSeconds) {

    /** Copies the list. */
    public AdaptationEvent {
        widths = List.copyOf(widths);
    }

    /** The hidden layer. */
    public int layer() {
        return report.layer();
    }

    /** What was done. */
    public SurgeryOperation operation() {
        return report.operation();
    }

    /**
     * The event as a flat map with the keys used in {@code events.jsonl} and {@code report.json}: epoch, iteration,
     * layer, op, count, removedSingularValues, errorBound, maxOutputChange, widths, seconds. Absent values are JSON
     * null.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("epoch", epoch);
        map.put("iteration", iteration);
        map.put("layer", report.layer());
        map.put("op", report.operation().name().toLowerCase());
        map.put("count", report.count());
        map.put("widthBefore", report.widthBefore());
        map.put("widthAfter", report.widthAfter());
        map.put("removedSingularValues", report.removedSingularValues());
        map.put("errorBound", report.errorBound().isPresent() ? report.errorBound().getAsDouble() : null);
        map.put("maxOutputChange", report.maxOutputChange().isPresent() ? report.maxOutputChange().getAsDouble()
                : null);
        map.put("widths", widths);
        map.put("seconds", wallSeconds);
        return map;
    }
}
