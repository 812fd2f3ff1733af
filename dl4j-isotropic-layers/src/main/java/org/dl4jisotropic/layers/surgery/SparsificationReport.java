package org.dl4jisotropic.layers.surgery;

import java.util.List;

/**
 * What sparsification saved.
 *
 * @param diagonalLayers     hidden layers stored with one weight per connection
 * @param parametersBefore   parameters of the dense network
 * @param parametersAfter    parameters of the sparse network
 * @param nonzerosBefore     non-zero parameters of the dense network
 * @param nonzerosAfter      non-zero parameters of the sparse network
 * @param maxOutputChange    max absolute difference of any network output on the probe batch (0 if none given)
 */
public record SparsificationReport(List<Integer> diagonalLayers, long parametersBefore, long parametersAfter,
                                   long nonzerosBefore, long nonzerosAfter, double maxOutputChange) {

    /** Copies the list. */
    public SparsificationReport {
        diagonalLayers = List.copyOf(diagonalLayers);
    }

    /** Fraction of the dense network's parameters that the sparse one no longer stores. */
    public double savedFraction() {
        return 1.0 - (double) parametersAfter / parametersBefore;
    }
}
