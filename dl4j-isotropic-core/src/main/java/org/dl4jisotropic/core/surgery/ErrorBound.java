package org.dl4jisotropic.core.surgery;

import java.util.OptionalDouble;

import org.dl4jisotropic.core.linalg.Svd;

/**
 * A-priori bound on how much removing neurons from hidden layer l can change any logit.
 *
 * <pre>
 *   bound = sqrt(k_l) (|u| sqrt(sum_j sigma_j^2) + ||p_J||) * prod_{m > l} sqrt(k_m) (||W_m||_2 + L_s ||psi_m||)
 * </pre>
 * where sigma_j and p_J are the removed neurons' singular values and psi columns, |u| bounds the norm of the layer's
 * input (below 1 after an isotropic tanh layer; the input norm for the first layer), L_s bounds the slope of the scale
 * ({@link org.dl4jisotropic.core.activation.IsotropicProfile#scaleLipschitzBound()}, 0.344 for tanh), k_m is layer m's
 * input multiplicity and the product runs over every later layer, the output layer included. In plain words: the
 * removed neurons deviate from their constant bias by at most sigma |u| (+ their psi), isotropic activations are
 * 1-Lipschitz, and each later layer magnifies a change by at most its weights' spectral norm plus its psi's reaction
 * to the changed scale. For convolutions norms are per position (the largest over positions of the norm over
 * channels): a layer reading k taps or k flattened positions sees a patch of k such vectors, whose norm is at most
 * sqrt(k) times the largest, hence the sqrt(k) factors; average pooling, zero padding, cropping and upsampling do not
 * increase the largest per-position norm. For fully connected stacks every k is 1. The bound is linear in the removed
 * singular values.
 */
public final class ErrorBound {

    private ErrorBound() {
    }

    /**
     * Evaluates the bound for neurons about to be removed.
     *
     * @param stack            the network before removal
     * @param layer            hidden layer index
     * @param singularValues   the removed neurons' singular values
     * @param removedPsiNorm   Frobenius norm of the removed neurons' psi columns
     * @param inputNormBound   bound on the norm of the layer's input, if known
     * @return the bound, or empty when no input-norm bound is known
     */
    public static OptionalDouble forRemoval(IsotropicStack stack, int layer, double[] singularValues,
                                            double removedPsiNorm, OptionalDouble inputNormBound) {
        if (inputNormBound.isEmpty()) {
            return OptionalDouble.empty();
        }
        double sumSquares = 0;
        for (double s : singularValues) {
            sumSquares += s * s;
        }
        double deviation = Math.sqrt(stack.layer(layer).multiplicity())
                * (inputNormBound.getAsDouble() * Math.sqrt(sumSquares) + removedPsiNorm);
        double gain = 1.0;
        for (int m = layer + 1; m < stack.layers().size(); m++) {
            LinearBlock block = stack.layer(m);
            double spectral = Svd.singularValues(block.weights().value()).getDouble(0);
            double psiNorm = block.psi().map(p -> p.value().norm2Number().doubleValue()).orElse(0.0);
            double lipschitz = stack.layer(m - 1).profile().orElseThrow().scaleLipschitzBound();
            gain *= Math.sqrt(block.multiplicity()) * (spectral + lipschitz * psiNorm);
        }
        return OptionalDouble.of(deviation * gain);
    }

    /**
     * A bound on the input norm of hidden layer {@code layer} that holds for every input: 1 after a tanh layer,
     * unknown otherwise (the first layer sees raw data; log1p and shifted-ReLU layers are unbounded).
     */
    public static OptionalDouble universalInputNormBound(IsotropicStack stack, int layer) {
        if (layer == 0) {
            return OptionalDouble.empty();
        }
        return stack.layer(layer - 1).profile().orElseThrow()
                == org.dl4jisotropic.core.activation.IsotropicProfile.TANH ? OptionalDouble.of(1.0)
                : OptionalDouble.empty();
    }
}
