package org.dl4jisotropic.examples.train;

import java.util.Map;

import me.tongfei.progressbar.ProgressBar;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.layers.adapt.NeuroadaptationListener;
import org.nd4j.linalg.dataset.DataSet;

/**
 * How {@link TrainingRun} fits one epoch: in this JVM ({@link LocalEpochTrainer}) or on Spark
 * ({@code org.dl4jisotropic.examples.spark.SparkEpochTrainer}). The run owns the network, the data, the adaptation
 * policy and the report; the trainer owns only the fitting, and closing it releases what it started.
 */
public interface EpochTrainer extends AutoCloseable {

    /**
     * Called once before the first epoch.
     *
     * @param net        the network to train; resized in place by the adaptation, so the same object throughout
     * @param adaptation the adaptation policy bound to {@code net}, or null when widths are fixed; the trainer must
     *                   run its end-of-epoch rounds
     */
    void start(MultiLayerNetwork net, NeuroadaptationListener adaptation);

    /**
     * Trains one epoch, adaptation included.
     *
     * @param train the epoch's training examples
     * @param batch minibatch size
     * @param bar   progress, in examples
     * @return the epoch's training loss
     */
    double fitEpoch(DataSet train, int batch, ProgressBar bar);

    /**
     * The {@code spark} block of report.json (master, workers, averaging frequency, ...), or an empty map when
     * training in this JVM (no block is written).
     */
    Map<String, Object> sparkReport();

    /** Releases what the trainer started (e.g. a SparkContext). */
    @Override
    default void close() {
    }
}
