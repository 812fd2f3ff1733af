/**
 * How ND4J's native code uses the machine: {@link org.dl4jisotropic.core.runtime.NativeThreads} chooses and applies
 * the split between libnd4j's OpenMP threads and the BLAS library's threads. ND4J only.
 */
package org.dl4jisotropic.core.runtime;
