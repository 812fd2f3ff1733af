/**
 * Pure decisions of adaptive topologies, free of DL4J types: {@link org.dl4jisotropic.core.adapt.ScaffoldPolicy}
 * decides how much a layer grows or shrinks from its singular spectrum.
 */
package org.dl4jisotropic.core.adapt;
