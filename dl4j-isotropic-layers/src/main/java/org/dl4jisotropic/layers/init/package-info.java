/** Weight initializers for isotropic networks (the paper's orthogonal initialization). */
package org.dl4jisotropic.layers.init;
