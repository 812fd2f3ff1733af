package org.dl4jisotropic.core.activation;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Result of {@link IsotropicKernel#backward}: gradients of the loss with respect to the activation's inputs.
 *
 * @param input           {@code dL/da}; shape and dtype of the pre-activations
 * @param intrinsicLength {@code dL/do}, summed over every row of the batch
 */
public record IsotropicGradient(INDArray input, double intrinsicLength) {
}
