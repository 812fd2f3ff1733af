/**
 * Network surgery on isotropic networks, as pure maths on a working copy
 * ({@link org.dl4jisotropic.core.surgery.IsotropicStack}): change of basis, diagonalization, neurogenesis,
 * neurodegeneration with its error bound, and the optimizer state that follows every parameter
 * ({@link org.dl4jisotropic.core.surgery.TrackedParameter}). Knows nothing of DL4J networks or listeners; the DL4J
 * adapter lives in {@code org.dl4jisotropic.layers.surgery}. Reference: G. Bird, arXiv:2602.23405, sections 3-8.
 */
package org.dl4jisotropic.core.surgery;
