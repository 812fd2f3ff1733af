package org.dl4jisotropic.examples.experiment;

import java.util.List;

/**
 * Mean and spread of repeated measurements (the sample standard deviation, n - 1; 0 for one value).
 *
 * @param mean  arithmetic mean
 * @param std   sample standard deviation
 * @param min   smallest value
 * @param max   largest value
 * @param count number of values
 */
public record Statistics(double mean, double std, double min, double max, int count) {

    /**
     * The statistics of a non-empty list.
     *
     * @throws IllegalArgumentException if the list is empty
     */
    public static Statistics of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("statistics of no values");
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / values.size();
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double std = values.size() < 2 ? 0.0 : Math.sqrt(squares / (values.size() - 1));
        return new Statistics(mean, std, min, max, values.size());
    }

    /** As a percentage with its spread, e.g. {@code 84.12% ± 0.21}, for accuracies in [0, 1]. */
    public String percent() {
        return String.format("%.2f%% ± %.2f", 100 * mean, 100 * std);
    }
}
