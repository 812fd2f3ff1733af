/**
 * Network surgery on DL4J MultiLayerNetworks: {@link org.dl4jisotropic.layers.surgery.NetworkSurgeon} (rotate,
 * diagonalise, grow, shrink, inspect; in place and all-or-nothing, updater state carried) and
 * {@link org.dl4jisotropic.layers.surgery.Sparsifier} (alternating full diagonalisation stored with one weight per
 * connection). The maths is in {@code org.dl4jisotropic.core.surgery}; this package only maps DL4J's flat parameter
 * and updater-state layouts onto it and installs the result.
 */
package org.dl4jisotropic.layers.surgery;
