/**
 * DL4J layer configurations for isotropic networks: {@link org.dl4jisotropic.layers.conf.IsotropicDenseLayer}
 * (intrinsic length and the psi correction, emitting its scale as a trailing column), its parameter layout and
 * the input type that carries the scale column; {@link org.dl4jisotropic.layers.conf.IsotropicActivationLayer}
 * (a parameter-free isotropic activation emitting its scale as a trailing feature or channel, for use after stock
 * dense or convolution layers); {@link org.dl4jisotropic.layers.conf.NormMaxPooling2D} (rotation-equivariant max
 * pooling by channel-vector norm); and {@link org.dl4jisotropic.layers.conf.FeatureAxisCheck} (isotropic activations
 * take their norm over the channels of the data format). JSON-serialisable with no registration.
 */
package org.dl4jisotropic.layers.conf;
