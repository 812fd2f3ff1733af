/**
 * Isotropic activation functions as array maths: {@code f(a) = sigma(rho)/rho * a} with
 * {@code rho = sqrt(||a||^2 + o)}, which commutes with every rotation of the layer vector.
 *
 * <p>{@link org.dl4jisotropic.core.activation.IsotropicProfile} holds the radial profiles (tanh, log1p, shifted ReLU),
 * {@link org.dl4jisotropic.core.activation.IsotropicKernel} the forward pass and vector-Jacobian product on
 * {@code INDArray}s, and {@link org.dl4jisotropic.core.activation.IsotropicOps} the same maths as SameDiff op
 * compositions. This package depends on ND4J only: never on deeplearning4j-nn, listeners or CLIs.
 * Reference: G. Bird, arXiv:2602.23405.
 */
package org.dl4jisotropic.core.activation;
