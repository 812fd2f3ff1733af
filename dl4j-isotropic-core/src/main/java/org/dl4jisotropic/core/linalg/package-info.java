/**
 * Dense linear algebra that network surgery needs: a safe LAPACK SVD ({@link org.dl4jisotropic.core.linalg.Svd})
 * and a pure-JVM oracle ({@link org.dl4jisotropic.core.linalg.JvmSvd}). ND4J only.
 */
package org.dl4jisotropic.core.linalg;
