/**
 * The invariance suite behind {@code isotropic verify}: the exactness properties of the method notes checked on the
 * active ND4J backend (CPU or CUDA).
 */
package org.dl4jisotropic.examples.verify;
