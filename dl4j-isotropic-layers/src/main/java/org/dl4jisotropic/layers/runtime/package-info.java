/** Runtime (implementation) classes paired with the configurations in {@code org.dl4jisotropic.layers.conf}. */
package org.dl4jisotropic.layers.runtime;
