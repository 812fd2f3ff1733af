package org.dl4jisotropic.spark;

import java.util.List;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Shared set-up of the Spark tests: loopback-only Spark configuration, the MLP, the training master, the RDD. */
final class SparkTestSupport {

    static final int BATCH = 32;
    static final int AVERAGING_FREQUENCY = 5;
    static final long SEED = 7L;

    private SparkTestSupport() {
    }

    /** Loopback only and no UI: the tests must not bind to a public interface or a fixed port. */
    static SparkConf conf(String master, String name) {
        return new SparkConf().setMaster(master).setAppName(name)
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false");
    }

    /** 784 - isotropic(width) - softmax(10), Adam. */
    static MultiLayerNetwork mlp(int width) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED)
                .updater(new Adam(5e-3)).list()
                .layer(new IsotropicDenseLayer.Builder().nOut(width).psiL2(0.1).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(SparkTestData.CLASSES).build())
                .setInputType(InputType.feedForward(SparkTestData.FEATURES)).build());
        net.init();
        return net;
    }

    /** Parameter averaging as the trainer requires it; Direct, because Export needs a shared file system. */
    static ParameterAveragingTrainingMaster.Builder master(int workers) {
        return new ParameterAveragingTrainingMaster.Builder(workers, BATCH).batchSizePerWorker(BATCH)
                .averagingFrequency(AVERAGING_FREQUENCY).workerPrefetchNumBatches(0).saveUpdater(true)
                .rddTrainingApproach(RDDTrainingApproach.Direct).rngSeed(SEED);
    }

    /** Minibatch DataSets in {@code workers} partitions; deliberately not cached (the master persists it). */
    static JavaRDD<DataSet> minibatches(JavaSparkContext sc, DataSet data, int workers) {
        List<DataSet> batches = data.batchBy(BATCH);
        return sc.parallelize(batches, workers);
    }
}
