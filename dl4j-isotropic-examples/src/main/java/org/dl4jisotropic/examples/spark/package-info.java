/**
 * The Spark path of {@code isotropic train --spark MASTER}. Compiled against Spark at provided scope: these classes
 * are only loaded after {@link org.dl4jisotropic.examples.spark.SparkSupport#requireOnClassPath()} has found Spark.
 */
package org.dl4jisotropic.examples.spark;
