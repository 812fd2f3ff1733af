/**
 * DL4J layer configurations for isotropic networks: {@link org.dl4jisotropic.layers.conf.IsotropicDenseLayer}
 * (intrinsic length and the psi correction, emitting its scale as a trailing column), its parameter layout and
 * the input type that carries the scale column. JSON-serialisable with no registration.
 */
package org.dl4jisotropic.layers.conf;
