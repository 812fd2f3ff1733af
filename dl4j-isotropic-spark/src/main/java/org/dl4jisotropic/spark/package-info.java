/**
 * Distributed training on Apache Spark (DL4J's parameter averaging) with the hidden widths adapted on the driver
 * between Spark {@code fit()} rounds: {@link org.dl4jisotropic.spark.AdaptiveSparkTrainer}.
 */
package org.dl4jisotropic.spark;
