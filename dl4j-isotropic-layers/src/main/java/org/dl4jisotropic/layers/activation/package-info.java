/**
 * Isotropic activations as DL4J {@code IActivation}s: a one-line change turns an existing layer isotropic.
 *
 * <p>The maths lives in {@code org.dl4jisotropic.core.activation}; these classes only adapt it to DL4J's contract
 * (in-place forward, {@code Pair} backward) and to JSON. They hold no trainable parameters.
 */
package org.dl4jisotropic.layers.activation;
