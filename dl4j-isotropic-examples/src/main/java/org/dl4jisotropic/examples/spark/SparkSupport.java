package org.dl4jisotropic.examples.spark;

import java.util.List;

import org.dl4jisotropic.examples.train.EpochTrainer;

/**
 * The entry to the Spark path that is safe to call without Spark on the class path: it checks for Spark before any
 * class that links against it is loaded, so that the slim {@code isotropic.jar} fails with advice, not a
 * {@code NoClassDefFoundError}.
 */
public final class SparkSupport {

    /** Classes the Spark path needs, one per jar family that {@code isotropic.jar} leaves out. */
    private static final List<String> REQUIRED = List.of("org.apache.spark.api.java.JavaSparkContext",
            "scala.Product", "org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer",
            "org.dl4jisotropic.spark.AdaptiveSparkTrainer");

    private SparkSupport() {
    }

    /**
     * Checks that Spark, Scala, DL4J's Spark module and dl4j-isotropic-spark can be loaded.
     *
     * @throws IllegalArgumentException naming the missing class and how to run with Spark
     */
    public static void requireOnClassPath() {
        for (String name : REQUIRED) {
            try {
                Class.forName(name, false, SparkSupport.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalArgumentException("--spark needs Spark on the class path, and " + name + " is "
                        + "missing: isotropic.jar leaves Spark out. Run bin/isotropic-spark train --spark local[2] ... "
                        + "(adds dl4j-isotropic-examples/target/spark-lib/*), or spark-submit on a cluster (README, "
                        + "\"Distributed training on Spark\")");
            }
        }
    }

    /**
     * A Spark epoch trainer; call {@link #requireOnClassPath()} first.
     *
     * @param master             Spark master URL, e.g. {@code local[2]} or {@code spark://host:7077}
     * @param averagingFrequency minibatches per worker between parameter averages
     */
    public static EpochTrainer trainer(String master, int averagingFrequency) {
        return new SparkEpochTrainer(master, averagingFrequency);
    }
}
