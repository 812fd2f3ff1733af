/**
 * JMH benchmarks: the isotropic activation against DL4J's tanh, one training iteration of an MLP, each surgery
 * operation, and sparsified against dense inference. They are packaged into {@code isotropic.jar}; run them with
 * {@code java -cp dl4j-isotropic-examples/target/isotropic.jar org.openjdk.jmh.Main [regex] [JMH options]}.
 * The quick, side-by-side subset behind {@code isotropic bench} is in the parent package.
 */
package org.dl4jisotropic.examples.bench.jmh;
