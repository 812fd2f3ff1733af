package org.dl4jisotropic.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.dl4jisotropic.layers.adapt.AdaptationEvent;
import org.dl4jisotropic.layers.adapt.AdaptationSchedule;
import org.dl4jisotropic.layers.adapt.NeuroadaptationListener;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Trains an isotropic MultiLayerNetwork on Spark with DL4J's parameter averaging, and adapts its hidden widths on the
 * driver between Spark {@code fit()} rounds with the same policy, code path and events as the single-JVM
 * {@link NeuroadaptationListener}.
 *
 * <pre>
 *   MultiLayerNetwork net = ...;                       // isotropic hidden layers, Adam/SGD/Nesterovs
 *   ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(64)
 *           .batchSizePerWorker(64).averagingFrequency(10).saveUpdater(true).build();
 *   SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, master);
 *   AdaptiveSparkTrainer trainer = AdaptiveSparkTrainer.builder(sparkNet)
 *           .adaptation(NeuroadaptationListener.builder(net).threshold(0.95).scaffoldBuffer(5)
 *                   .widthRange(8, 512).eventSink(new JsonLinesEventSink(events)).build())
 *           .build();                                   // validates everything before any Spark job
 *   List&lt;SparkRound&gt; rounds = trainer.fit(trainRdd, 10);
 * </pre>
 *
 * <p>One round is one {@code SparkDl4jMultiLayer.fit(rdd)} (one epoch over the RDD). After it the driver's network
 * holds the workers' averaged parameters; when the listener's {@link AdaptationSchedule} has a round at the end of
 * that epoch, the listener resizes the driver's network in place ({@code NetworkSurgeon}: configuration, parameters,
 * updater state, iteration and epoch counts), and the network is handed back with {@code setNetwork} so that the next
 * split broadcasts the new shapes and updater state to the workers.
 *
 * <p>Semantics, which differ from single-JVM training:
 * <ul>
 *   <li>The driver's optimizer state (e.g. Adam's moments) is the <em>average</em> of the workers' states after each
 *       averaging split; the surgery carries that average. This is why {@code saveUpdater(true)} is required: without
 *       it the driver never receives the state and every split restarts the optimizer from zero.</li>
 *   <li>The iteration count advances by the averaging frequency per split (per-worker steps), not by the number of
 *       minibatches; Adam's bias correction and learning-rate schedules see that count. The epoch count advances by
 *       one per round. Both survive the surgery.</li>
 *   <li>Adaptation happens only between rounds, never inside a split: the workers train their own copies, so a
 *       schedule in iterations is refused.</li>
 *   <li>Growth is function-preserving on the driver at the moment of surgery (as in the single-JVM listener); the
 *       next split starts every worker from that network.</li>
 * </ul>
 *
 * <p>Only {@link ParameterAveragingTrainingMaster} is accepted. Gradient sharing ({@code SharedTrainingMaster}) is
 * refused: its executors keep a JVM-wide copy of the first network they saw, so a network replaced on the driver is
 * silently ignored, and it keeps no optimizer state on the driver to carry across a resize.
 *
 * <p>Executors need this library (and the isotropic layers) on their classpath, since the layer configurations and
 * activations are deserialized there. The RDD should not be cached by the caller: the training master persists it
 * itself and fails on an RDD whose storage level is already set.
 */
public final class AdaptiveSparkTrainer {

    private final SparkDl4jMultiLayer sparkNet;
    private final MultiLayerNetwork net;
    private final NeuroadaptationListener adaptation;

    private AdaptiveSparkTrainer(SparkDl4jMultiLayer sparkNet, NeuroadaptationListener adaptation) {
        this.sparkNet = sparkNet;
        this.net = sparkNet.getNetwork();
        this.adaptation = adaptation;
    }

    /**
     * Starts configuring a trainer.
     *
     * @param sparkNet the Spark network: its network is the one trained and resized, its training master must be a
     *                 {@link ParameterAveragingTrainingMaster} with {@code saveUpdater(true)}
     */
    public static Builder builder(SparkDl4jMultiLayer sparkNet) {
        return new Builder(Objects.requireNonNull(sparkNet, "sparkNet"));
    }

    /** The driver's network: the same object throughout, resized in place. */
    public MultiLayerNetwork network() {
        return net;
    }

    /** The Spark network. */
    public SparkDl4jMultiLayer sparkNetwork() {
        return sparkNet;
    }

    /**
     * Runs {@code epochs} rounds.
     *
     * @param data   minibatch DataSets (each of the size the training master was built for); not cached by the caller
     * @param epochs rounds, &gt;= 1
     * @return one result per round
     */
    public List<SparkRound> fit(JavaRDD<DataSet> data, int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, found " + epochs);
        }
        List<SparkRound> rounds = new ArrayList<>();
        for (int i = 0; i < epochs; i++) {
            rounds.add(fitEpoch(data));
        }
        return rounds;
    }

    /**
     * Runs one round: a Spark fit over the RDD, then an adaptation round on the driver if one is due.
     *
     * @param data minibatch DataSets; not cached by the caller
     * @return what the round did
     */
    public SparkRound fitEpoch(JavaRDD<DataSet> data) {
        return fitEpoch(data, network -> { });
    }

    /** {@link #fitEpoch(JavaRDD)} with a look at the driver's network between the Spark fit and the adaptation. */
    SparkRound fitEpoch(JavaRDD<DataSet> data, Consumer<MultiLayerNetwork> beforeAdaptation) {
        Objects.requireNonNull(data, "data");
        long start = System.nanoTime();
        sparkNet.fit(data);
        double fitSeconds = (System.nanoTime() - start) / 1e9;
        if (sparkNet.getNetwork() != net) {
            // Parameter averaging writes the averages into the driver's network object; anything else would leave
            // the listener resizing a network that is no longer trained.
            throw new IllegalStateException("the Spark network's MultiLayerNetwork was replaced during fit(); "
                    + "AdaptiveSparkTrainer needs it to stay the object it was built with");
        }
        // SparkDl4jMultiLayer.fit has already counted the epoch; the schedule wants the index of the one that ended.
        int epoch = net.getEpochCount() - 1;
        List<AdaptationEvent> events = List.of();
        double adaptSeconds = 0;
        beforeAdaptation.accept(net);
        if (adaptation != null) {
            long adaptStart = System.nanoTime();
            events = adaptation.adaptAtEndOfEpoch(epoch);
            adaptSeconds = events.isEmpty() ? 0 : (System.nanoTime() - adaptStart) / 1e9;
            // Same object, resized in place: setting it again makes the hand-over explicit and keeps working should
            // SparkDl4jMultiLayer ever cache anything derived from the network.
            sparkNet.setNetwork(net);
        }
        return new SparkRound(epoch, net.getIterationCount(), sparkNet.getScore(), NetworkSurgeon.hiddenWidths(net),
                events, fitSeconds, adaptSeconds);
    }

    /** Configures an {@link AdaptiveSparkTrainer}; {@link #build} validates before any Spark job runs. */
    public static final class Builder {

        private final SparkDl4jMultiLayer sparkNet;
        private NeuroadaptationListener adaptation;

        private Builder(SparkDl4jMultiLayer sparkNet) {
            this.sparkNet = sparkNet;
        }

        /**
         * The adaptation policy: a listener built for the Spark network's {@code getNetwork()}, with an
         * epoch schedule. Its settings (tau, K, width ranges, layers, seed, probe, event sinks) apply unchanged.
         * Do not also add it to the network's listeners. Default: none (plain parameter averaging, widths fixed).
         */
        public Builder adaptation(NeuroadaptationListener listener) {
            this.adaptation = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Validates the training master, the updater handling, and the network against the adaptation policy.
         *
         * @throws IllegalArgumentException naming the problem: a training master other than parameter averaging,
         *     {@code saveUpdater(false)}, a listener bound to another network or scheduled in iterations, a network
         *     or updater the surgery does not support
         */
        public AdaptiveSparkTrainer build() {
            TrainingMaster<?, ?> master = sparkNet.getTrainingMaster();
            if (!(master instanceof ParameterAveragingTrainingMaster)) {
                throw new IllegalArgumentException("AdaptiveSparkTrainer needs DL4J's "
                        + "ParameterAveragingTrainingMaster, found "
                        + (master == null ? "none" : master.getClass().getName()) + ". Gradient sharing "
                        + "(SharedTrainingMaster) is not supported: its executors keep the first network they received "
                        + "and silently ignore a resized one, and it keeps no optimizer state on the driver to carry");
            }
            if (!((ParameterAveragingTrainingMaster) master).isSaveUpdater()) {
                throw new IllegalArgumentException("AdaptiveSparkTrainer needs "
                        + "ParameterAveragingTrainingMaster.Builder.saveUpdater(true), found saveUpdater(false): "
                        + "without it the driver never receives the workers' optimizer state, so there is no state to "
                        + "carry through a resize and every averaging split restarts the optimizer from zero");
            }
            MultiLayerNetwork net = sparkNet.getNetwork();
            if (net == null) {
                throw new IllegalArgumentException("the SparkDl4jMultiLayer has no network");
            }
            if (adaptation != null) {
                if (adaptation.network() != net) {
                    throw new IllegalArgumentException("the adaptation listener is bound to another MultiLayerNetwork "
                            + "than the SparkDl4jMultiLayer's getNetwork(); build it with "
                            + "NeuroadaptationListener.builder(sparkNet.getNetwork())");
                }
                if (adaptation.schedule().unit() != AdaptationSchedule.Unit.EPOCHS) {
                    throw new IllegalArgumentException("on Spark, widths can only adapt between fit() rounds: the "
                            + "adaptation schedule must be in epochs, found " + adaptation.schedule());
                }
                // The network may have changed since the listener was built; check again before any Spark job.
                new NetworkSurgeon(net).requireAdaptable(adaptation.policies().keySet());
            }
            return new AdaptiveSparkTrainer(sparkNet, adaptation);
        }
    }
}
