/** Adaptive-width examples: {@link org.dl4jisotropic.examples.adapt.TaskDemandExample} (width follows the task). */
package org.dl4jisotropic.examples.adapt;
