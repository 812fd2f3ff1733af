package org.dl4jisotropic.examples.spark;

import java.util.LinkedHashMap;
import java.util.Map;

import me.tongfei.progressbar.ProgressBar;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.dl4jisotropic.examples.train.EpochTrainer;
import org.dl4jisotropic.layers.adapt.NeuroadaptationListener;
import org.dl4jisotropic.spark.AdaptiveSparkTrainer;
import org.dl4jisotropic.spark.SparkRound;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link EpochTrainer} on Spark: each epoch is one {@link AdaptiveSparkTrainer} round (parameter averaging over the
 * epoch's minibatches, then the adaptation round on the driver). The epoch's loss is the workers' mean minibatch loss
 * in the last averaging split, which is what DL4J's parameter averaging reports.
 */
final class SparkEpochTrainer implements EpochTrainer {

    private final String master;
    private final int averagingFrequency;
    private JavaSparkContext sc;
    private MultiLayerNetwork net;
    private NeuroadaptationListener adaptation;
    private AdaptiveSparkTrainer trainer;
    private int workers;
    private int batch;

    SparkEpochTrainer(String master, int averagingFrequency) {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("--spark needs a master URL, e.g. local[2] or spark://host:7077");
        }
        if (averagingFrequency < 1) {
            throw new IllegalArgumentException("--averaging-frequency must be >= 1, found " + averagingFrequency);
        }
        this.master = master;
        this.averagingFrequency = averagingFrequency;
    }

    @Override
    public void start(MultiLayerNetwork net, NeuroadaptationListener adaptation) {
        SparkConf conf = new SparkConf().setAppName("isotropic train").setMaster(master);
        if (master.startsWith("local")) {
            // One machine: stay on loopback (Spark otherwise binds to the first non-loopback address) and skip the UI.
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1")
                    .setIfMissing("spark.ui.enabled", "false");
        }
        sc = new JavaSparkContext(conf);
        workers = sc.defaultParallelism();
        // The training master needs the minibatch size, which only fitEpoch is given: it is built there, once.
        this.net = net;
        this.adaptation = adaptation;
    }

    private AdaptiveSparkTrainer trainer(int minibatch) {
        if (trainer == null) {
            batch = minibatch;
            // Direct: the minibatches come from the driver, and Export would need a file system shared with the
            // executors. saveUpdater(true): AdaptiveSparkTrainer requires it to carry the optimizer state.
            ParameterAveragingTrainingMaster pa = new ParameterAveragingTrainingMaster.Builder(workers, minibatch)
                    .batchSizePerWorker(minibatch).averagingFrequency(averagingFrequency)
                    .workerPrefetchNumBatches(0).saveUpdater(true).rddTrainingApproach(RDDTrainingApproach.Direct)
                    .build();
            AdaptiveSparkTrainer.Builder builder = AdaptiveSparkTrainer.builder(new SparkDl4jMultiLayer(sc, net, pa));
            if (adaptation != null) {
                builder.adaptation(adaptation);
            }
            trainer = builder.build();
        }
        return trainer;
    }

    @Override
    public double fitEpoch(DataSet train, int minibatch, ProgressBar bar) {
        JavaRDD<DataSet> rdd = sc.parallelize(train.batchBy(minibatch), workers);
        SparkRound round = trainer(minibatch).fitEpoch(rdd);
        rdd.unpersist(false);
        bar.stepTo(train.numExamples());
        return round.score();
    }

    @Override
    public Map<String, Object> sparkReport() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("master", master);
        report.put("workers", workers);
        report.put("trainingMaster", "ParameterAveragingTrainingMaster");
        report.put("averagingFrequency", averagingFrequency);
        report.put("batchSizePerWorker", batch);
        report.put("saveUpdater", true);
        report.put("trainLoss", "workers' mean minibatch loss in the last averaging split of the epoch");
        report.put("sparkVersion", sc == null ? null : sc.version());
        return report;
    }

    @Override
    public void close() {
        if (sc != null) {
            sc.stop();
        }
    }
}
