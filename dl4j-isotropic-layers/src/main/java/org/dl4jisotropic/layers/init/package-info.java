/** Weight initialisers for isotropic networks (the paper's orthogonal initialisation). */
package org.dl4jisotropic.layers.init;
