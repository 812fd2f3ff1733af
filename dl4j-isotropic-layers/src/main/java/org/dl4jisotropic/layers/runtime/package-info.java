/**
 * Runtime (implementation) classes paired with the configurations in {@code org.dl4jisotropic.layers.conf}: the
 * isotropic dense layer, the isotropic activation layer and norm-max pooling, each with a hand-written backward pass.
 */
package org.dl4jisotropic.layers.runtime;
