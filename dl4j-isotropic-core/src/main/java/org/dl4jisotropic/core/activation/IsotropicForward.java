package org.dl4jisotropic.core.activation;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Result of {@link IsotropicKernel#forward}: the activation output and the per-row scale that produced it.
 *
 * @param output {@code f(a) = s a}; shape and dtype of the input
 * @param scale  {@code s = sigma(rho)/rho}; shape of the input with the feature axis of size 1, same dtype
 */
public record IsotropicForward(INDArray output, INDArray scale) {
}
