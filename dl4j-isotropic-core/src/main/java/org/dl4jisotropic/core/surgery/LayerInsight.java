package org.dl4jisotropic.core.surgery;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.dl4jisotropic.core.linalg.Svd;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one hidden layer of an isotropic network looks like in its natural basis, as data for reports and plots.
 *
 * @param layer              hidden layer index
 * @param width              number of neurons
 * @param spectrum           singular values of the incoming weights, one per neuron, descending (the neurons'
 *                           importance after diagonalization; rank-surplus neurons have 0)
 * @param intrinsicLength    mode and current squared value o
 * @param psiNorm            norm of the layer's psi (its correction from the previous layer's scale), 0 if none
 * @param diagonalStrengths  when the incoming weights are rectangular-diagonal (after full diagonalization): the
 *                           one-to-one connection strengths, neuron i of the previous layer to neuron i of this one
 */
public record LayerInsight(int layer, long width, SingularSpectrum spectrum, IntrinsicLength intrinsicLength,
                           double psiNorm, Optional<double[]> diagonalStrengths) {

    /**
     * Describes every hidden layer of a stack without changing it.
     *
     * @param stack the network. Not modified.
     * @return one insight per hidden layer, in order
     */
    public static List<LayerInsight> of(IsotropicStack stack) {
        List<LayerInsight> insights = new ArrayList<>();
        for (int l = 0; l < stack.hiddenLayers(); l++) {
            LinearBlock block = stack.layer(l);
            INDArray w = block.weights().value();
            SingularSpectrum spectrum = SingularSpectrum.of(Svd.singularValues(w), block.width());
            double psiNorm = block.psi().map(p -> p.value().norm2Number().doubleValue()).orElse(0.0);
            insights.add(new LayerInsight(l, block.width(), spectrum, block.intrinsicLength(), psiNorm,
                    diagonal(w)));
        }
        return insights;
    }

    private static Optional<double[]> diagonal(INDArray w) {
        INDArray offDiagonal = w.mul(Diagonalizer.diagonalMask(w).rsubi(1.0));
        if (offDiagonal.amaxNumber().doubleValue() != 0.0) {
            return Optional.empty();
        }
        int k = (int) Math.min(w.rows(), w.columns());
        double[] strengths = new double[k];
        for (int i = 0; i < k; i++) {
            strengths[i] = w.getDouble(i, i);
        }
        return Optional.of(strengths);
    }
}
