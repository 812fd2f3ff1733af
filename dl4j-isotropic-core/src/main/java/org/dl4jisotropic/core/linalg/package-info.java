/**
 * Dense linear algebra that network surgery needs: checked singular value decompositions
 * ({@link org.dl4jisotropic.core.linalg.Svd}), the native and JVM backends behind them
 * ({@link org.dl4jisotropic.core.linalg.LapackSvd}, {@link org.dl4jisotropic.core.linalg.JvmSvd}), the check itself
 * ({@link org.dl4jisotropic.core.linalg.SvdCheck}), and prompt release of large temporaries
 * ({@link org.dl4jisotropic.core.linalg.Scratch}). ND4J only: no DL4J types.
 */
package org.dl4jisotropic.core.linalg;
