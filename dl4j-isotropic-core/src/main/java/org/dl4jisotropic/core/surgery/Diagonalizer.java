package org.dl4jisotropic.core.surgery;

import org.dl4jisotropic.core.linalg.Scratch;
import org.dl4jisotropic.core.linalg.Svd;
import org.dl4jisotropic.core.linalg.SvdResult;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rewrites an {@link IsotropicStack} in the basis given by the SVD of its weight matrices, leaving its function
 * unchanged.
 *
 * <pre>
 *   left-partial, layer l:  W_l^T = U S Q^T (math layout),  rotate(l, U)      rows of W_l^T orthogonal, norms S desc.
 *   full, layer l (both neighbours hidden): also rotate(l-1, Q), then W_l^T = S exactly (rectangular diagonal)
 *   alternating: full diagonalization of l = 1, 3, 5, ...  (non-adjacent, so they do not interfere)
 * </pre>
 * The bias is rotated as a vector, never part of the SVD. Singular vectors are unique only up to sign and within
 * degenerate blocks, so compare functions, not parameters.
 */
public final class Diagonalizer {

    private Diagonalizer() {
    }

    /**
     * Left-partial diagonalization of one hidden layer.
     *
     * @param stack the network. Modified.
     * @param layer hidden layer index
     * @return the layer's singular spectrum: one value per neuron, descending, 0 for rank-surplus neurons
     */
    public static SingularSpectrum diagonalizeLeft(IsotropicStack stack, int layer) {
        stack.requireHidden(layer);
        Svd.LeftSvd svd = Svd.decomposeLeft(stack.layer(layer).weights().value().transpose());
        stack.rotate(layer, svd.u());
        Scratch.release(svd.u());
        return SingularSpectrum.of(svd.singularValues(), stack.layer(layer).width());
    }

    /** Left-partial diagonalization of every hidden layer; returns the spectra in layer order. */
    public static java.util.List<SingularSpectrum> diagonalizeAllLeft(IsotropicStack stack) {
        java.util.List<SingularSpectrum> spectra = new java.util.ArrayList<>();
        for (int l = 0; l < stack.hiddenLayers(); l++) {
            spectra.add(diagonalizeLeft(stack, l));
        }
        return spectra;
    }

    /**
     * Full diagonalization of hidden layer {@code layer}: afterwards neuron i of layer {@code layer - 1} feeds only
     * neuron i of {@code layer}, with weight S_i, and every other entry of W is exactly 0.
     *
     * @param stack the network. Modified.
     * @param layer hidden layer index with a hidden layer before it (1 &lt;= layer &lt; hidden layers)
     * @return the singular spectrum of the layer's weights
     * @throws IllegalArgumentException if the layer is the first hidden layer or not hidden
     */
    public static SingularSpectrum diagonalizeFull(IsotropicStack stack, int layer) {
        stack.requireHidden(layer);
        if (layer < 1) {
            throw new IllegalArgumentException("full diagonalization needs a hidden layer on both sides: layer must be "
                    + "in [1, " + (stack.hiddenLayers() - 1) + "], found " + layer);
        }
        requireOneRowPerInput(stack, layer);
        SvdResult svd = Svd.decompose(stack.layer(layer).weights().value().transpose());
        stack.rotate(layer - 1, svd.v());
        stack.rotate(layer, svd.u());
        Scratch.release(svd.u(), svd.vt());   // v() is a view of vt
        TrackedParameter weights = stack.layer(layer).weights();
        weights.setValue(weights.value().mul(diagonalMask(weights.value())));
        return SingularSpectrum.of(svd.singularValues(), stack.layer(layer).width());
    }

    /**
     * Full diagonalization of layers 1, 3, 5, ...: the function is unchanged and each of those weight matrices keeps
     * only {@code min(fanIn, width)} non-zeros.
     *
     * @param stack the network. Modified.
     * @return the indices of the layers that are now diagonal
     */
    public static int[] diagonalizeAlternating(IsotropicStack stack) {
        int count = stack.hiddenLayers() / 2;
        for (int i = 0; i < count; i++) {
            requireOneRowPerInput(stack, 2 * i + 1);   // before anything changes
        }
        int[] diagonal = new int[count];
        for (int i = 0; i < count; i++) {
            diagonal[i] = 2 * i + 1;
            diagonalizeFull(stack, diagonal[i]);
        }
        return diagonal;
    }

    /**
     * Full diagonalization pairs each input neuron with one row of W; a layer whose inputs enter through k &gt; 1 rows
     * (a k x k convolution, a dense layer after a flatten) mixes taps or positions, so only its left factor exists.
     */
    static void requireOneRowPerInput(IsotropicStack stack, int layer) {
        long k = stack.layer(layer).multiplicity();
        if (k != 1) {
            throw new IllegalArgumentException("layer " + layer + " reads each input neuron through " + k + " rows "
                    + "(kernel taps or flattened positions), so it has no one-to-one basis: full diagonalization and "
                    + "sparsification need a fully connected layer or a 1x1 convolution; use left diagonalization");
        }
    }

    /** 1 on the main diagonal of a rectangular matrix, 0 elsewhere; same shape and dtype. */
    static INDArray diagonalMask(INDArray w) {
        INDArray mask = Nd4j.zeros(w.dataType(), w.rows(), w.columns());
        for (long i = 0; i < Math.min(w.rows(), w.columns()); i++) {
            mask.putScalar(i, i, 1.0);
        }
        return mask;
    }
}
