/** Side-by-side timing helpers and the quick benchmark behind {@code isotropic bench}. */
package org.dl4jisotropic.examples.bench;
