package org.dl4jisotropic.core.surgery;

import java.util.List;
import java.util.OptionalDouble;

/**
 * What one surgery operation did to one hidden layer.
 *
 * @param layer                 hidden layer index
 * @param operation             what was done
 * @param count                 neurons added (GROW) or removed (SHRINK); 0 for diagonalizations
 * @param widthBefore           width before the operation
 * @param widthAfter            width after the operation
 * @param removedSingularValues singular values of the removed neurons in removal order, smallest first; empty
 *                              unless SHRINK
 * @param errorBound            a-priori bound on the max change of any logit ({@link ErrorBound}); 0 for exact
 *                              operations, empty when no bound on the layer's input norm is known
 * @param maxOutputChange       measured max absolute change of any logit on a probe batch, when one was given
 */
public record SurgeryReport(int layer, SurgeryOperation operation, int count, long widthBefore, long widthAfter,
                            List<Double> removedSingularValues, OptionalDouble errorBound,
                            OptionalDouble maxOutputChange) {

    /** Copies the list. */
    public SurgeryReport {
        removedSingularValues = List.copyOf(removedSingularValues);
    }

    /** The same report with a measured output change. */
    public SurgeryReport withMaxOutputChange(double change) {
        return new SurgeryReport(layer, operation, count, widthBefore, widthAfter, removedSingularValues, errorBound,
                OptionalDouble.of(change));
    }

    /** A report for an operation that leaves the function unchanged (error bound 0). */
    public static SurgeryReport exact(int layer, SurgeryOperation operation, int count, long widthBefore, long widthAfter) {
        return new SurgeryReport(layer, operation, count, widthBefore, widthAfter, List.of(), OptionalDouble.of(0.0),
                OptionalDouble.empty());
    }
}
