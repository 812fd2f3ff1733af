package org.dl4jisotropic.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.dl4jisotropic.layers.adapt.AdaptationEvent;
import org.dl4jisotropic.layers.adapt.AdaptationSchedule;
import org.dl4jisotropic.layers.adapt.NeuroadaptationListener;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** AdaptiveSparkTrainer in Spark local[2]: two workers in this JVM, parameter averaging, resizing between rounds. */
class AdaptiveSparkTrainerLocalTest {

    /** Measured figures go to the log (the surefire report), not to stdout. */
    private static final Logger LOG = LoggerFactory.getLogger(AdaptiveSparkTrainerLocalTest.class);

    private static final int WORKERS = 2;
    private static JavaSparkContext sc;
    private static SparkTestData.Split data;
    private static JavaRDD<DataSet> train;

    @BeforeAll
    static void startSpark() throws IOException {
        sc = new JavaSparkContext(SparkTestSupport.conf("local[" + WORKERS + "]", "adaptive-spark-local-test"));
        data = SparkTestData.load(2048, 1000);
        train = SparkTestSupport.minibatches(sc, data.train(), WORKERS);
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    private static SparkDl4jMultiLayer sparkNet(MultiLayerNetwork net) {
        return new SparkDl4jMultiLayer(sc, net, SparkTestSupport.master(WORKERS).build());
    }

    // tau below every singular value: no scaffolds, so the layer grows by K.
    private static NeuroadaptationListener growing(MultiLayerNetwork net) {
        return NeuroadaptationListener.builder(net).threshold(1e-6).scaffoldBuffer(4).widthRange(4, 64)
                .seed(SparkTestSupport.SEED).build();
    }

    // tau above every singular value: every neuron is a scaffold, so the layer shrinks to K.
    private static NeuroadaptationListener shrinking(MultiLayerNetwork net) {
        return NeuroadaptationListener.builder(net).threshold(1e6).scaffoldBuffer(4).widthRange(4, 64)
                .seed(SparkTestSupport.SEED).build();
    }

    private static double accuracy(MultiLayerNetwork net) {
        return net.evaluate(new ViewIterator(data.test(), 500)).accuracy();
    }

    @Test
    void widthsGrowAndShrinkBetweenSparkRoundsAndTrainingContinuesOnTheNewShape() {
        MultiLayerNetwork net = SparkTestSupport.mlp(16);
        SparkDl4jMultiLayer sparkNet = sparkNet(net);

        SparkRound grown = AdaptiveSparkTrainer.builder(sparkNet).adaptation(growing(net)).build().fitEpoch(train);
        SparkRound shrunk = AdaptiveSparkTrainer.builder(sparkNet).adaptation(shrinking(net)).build().fitEpoch(train);
        // A round with the shrunk network: the workers must receive the new shapes, or averaging would fail.
        SparkRound after = AdaptiveSparkTrainer.builder(sparkNet).build().fitEpoch(train);

        assertEquals(List.of(20L), grown.widths(), "grow round: 16 + K");
        assertEquals(List.of(4L), shrunk.widths(), "shrink round: down to K");
        assertEquals(List.of(4L), after.widths());
        assertEquals(List.of(4L), NetworkSurgeon.hiddenWidths(sparkNet.getNetwork()));
        assertEquals(1, grown.events().size());
        assertEquals(20L, shrunk.events().get(0).report().widthBefore());
        assertTrue(Double.isFinite(after.score()), "score after training on the shrunk shape: " + after.score());
        assertEquals(3, net.getEpochCount());
        assertTrue(accuracy(net) > 0.3, "the shrunk network must still have learned something: " + accuracy(net));
    }

    @Test
    void growthBetweenRoundsLeavesTheDriversOutputsUnchanged() {
        MultiLayerNetwork net = SparkTestSupport.mlp(16);
        SparkDl4jMultiLayer sparkNet = sparkNet(net);
        INDArray probe = data.test().getFeatures().get(NDArrayIndex.interval(0, 200), NDArrayIndex.all());
        AtomicReference<INDArray> before = new AtomicReference<>();

        SparkRound round = AdaptiveSparkTrainer.builder(sparkNet).adaptation(growing(net)).build()
                .fitEpoch(train, trained -> before.set(trained.output(probe).dup()));
        INDArray after = net.output(probe);

        assertEquals(List.of(20L), round.widths());
        double change = before.get().sub(after).amaxNumber().doubleValue();
        assertTrue(change < 1e-5, "max output change by growth on the driver: " + change);
    }

    @Test
    void adamStateAndIterationAndEpochCountsAreCarriedThroughTheResize() {
        MultiLayerNetwork net = SparkTestSupport.mlp(16);
        SparkDl4jMultiLayer sparkNet = sparkNet(net);
        AtomicReference<INDArray> outputBiasState = new AtomicReference<>();
        AtomicReference<int[]> counts = new AtomicReference<>();

        SparkRound round = AdaptiveSparkTrainer.builder(sparkNet).adaptation(growing(net)).build()
                .fitEpoch(train, trained -> {
                    outputBiasState.set(adamState(trained, 1, "b"));
                    counts.set(new int[] {trained.getIterationCount(), trained.getEpochCount()});
                });

        INDArray carried = adamState(net, 1, "b");
        assertTrue(outputBiasState.get().norm2Number().doubleValue() > 0,
                "saveUpdater(true): the driver must hold the workers' averaged Adam state");
        assertEquals(0.0, outputBiasState.get().sub(carried).amaxNumber().doubleValue(), 1e-7,
                "the output bias is untouched by growth, so its Adam moments must be carried exactly");
        assertEquals(2L * 20 * SparkTestData.FEATURES, adamState(net, 0, "W").length(),
                "the first layer's Adam moments must have the grown shape");
        assertTrue(counts.get()[0] > 0 && counts.get()[0] % SparkTestSupport.AVERAGING_FREQUENCY == 0,
                "parameter averaging adds averagingFrequency per split: " + counts.get()[0]);
        assertEquals(counts.get()[0], net.getIterationCount(), "iteration count across the resize");
        assertEquals(1, counts.get()[1]);
        assertEquals(1, net.getEpochCount(), "epoch count across the resize");
        assertEquals(net.getIterationCount(), round.iterationCount());
    }

    @Test
    void adaptiveSparkAccuracyIsWithinFivePointsOfTheSingleJvmRunOnTheSameDataAndEpochs() {
        int epochs = 4;
        MultiLayerNetwork distributed = SparkTestSupport.mlp(32);
        List<AdaptationEvent> sparkEvents = new ArrayList<>();
        AdaptiveSparkTrainer trainer = AdaptiveSparkTrainer.builder(sparkNet(distributed))
                .adaptation(NeuroadaptationListener.builder(distributed).widthRange(8, 64).seed(SparkTestSupport.SEED)
                        .eventSink(sparkEvents::add).build()).build();
        long start = System.nanoTime();
        List<SparkRound> rounds = trainer.fit(train, epochs);
        double sparkSeconds = (System.nanoTime() - start) / 1e9;

        MultiLayerNetwork local = SparkTestSupport.mlp(32);
        local.addListeners(NeuroadaptationListener.builder(local).widthRange(8, 64).seed(SparkTestSupport.SEED)
                .build());
        start = System.nanoTime();
        local.fit(new ViewIterator(data.train(), SparkTestSupport.BATCH), epochs);
        double localSeconds = (System.nanoTime() - start) / 1e9;

        double sparkAccuracy = accuracy(distributed);
        double localAccuracy = accuracy(local);
        LOG.info(String.format("data %s: spark local[2] accuracy %.4f widths %s in %.1f s; single JVM %.4f widths %s "
                        + "in %.1f s", data.source(), sparkAccuracy, rounds.get(epochs - 1).widths(), sparkSeconds,
                localAccuracy, NetworkSurgeon.hiddenWidths(local), localSeconds));
        assertEquals(epochs, sparkEvents.size(), "one adaptation event per round (one adapting layer)");
        assertTrue(sparkAccuracy > 0.5, "spark run must learn: " + sparkAccuracy);
        assertEquals(localAccuracy, sparkAccuracy, 0.05, "spark vs single-JVM accuracy");
    }

    @Test
    void aTrainingMasterOtherThanParameterAveragingIsRefusedBeforeAnySparkJob() {
        MultiLayerNetwork net = SparkTestSupport.mlp(16);
        AtomicBoolean trained = new AtomicBoolean();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, gradientSharingStandIn(trained));
        int jobsBefore = sc.statusTracker().getJobIdsForGroup(null).length;

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdaptiveSparkTrainer
                .builder(sparkNet).adaptation(growing(net)).build().fit(train, 1));

        assertTrue(e.getMessage().contains("ParameterAveragingTrainingMaster")
                && e.getMessage().contains("SharedTrainingMaster"), e.getMessage());
        assertTrue(!trained.get(), "the training master must never have been asked to train");
        assertEquals(jobsBefore, sc.statusTracker().getJobIdsForGroup(null).length, "no Spark job may run");
        assertEquals(0, net.getIterationCount());
    }

    @Test
    void saveUpdaterFalseIsRefusedBeforeAnySparkJob() {
        MultiLayerNetwork net = SparkTestSupport.mlp(16);
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net,
                SparkTestSupport.master(WORKERS).saveUpdater(false).build());
        int jobsBefore = sc.statusTracker().getJobIdsForGroup(null).length;

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdaptiveSparkTrainer
                .builder(sparkNet).adaptation(growing(net)).build().fit(train, 1));

        assertTrue(e.getMessage().contains("saveUpdater(true)") && e.getMessage().contains("saveUpdater(false)"),
                e.getMessage());
        assertEquals(jobsBefore, sc.statusTracker().getJobIdsForGroup(null).length, "no Spark job may run");
        assertEquals(0, net.getIterationCount());
    }

    @Test
    void aListenerBoundToAnotherNetworkIsRefused() {
        MultiLayerNetwork net = SparkTestSupport.mlp(16);
        SparkDl4jMultiLayer sparkNet = sparkNet(net);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdaptiveSparkTrainer
                .builder(sparkNet).adaptation(growing(SparkTestSupport.mlp(16))).build());

        assertTrue(e.getMessage().contains("bound to another MultiLayerNetwork"), e.getMessage());
    }

    @Test
    void aListenerScheduledInIterationsIsRefusedBecauseWidthsCanOnlyChangeBetweenRounds() {
        MultiLayerNetwork net = SparkTestSupport.mlp(16);
        NeuroadaptationListener everyTenIterations = NeuroadaptationListener.builder(net)
                .schedule(AdaptationSchedule.everyIterations(10)).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdaptiveSparkTrainer
                .builder(sparkNet(net)).adaptation(everyTenIterations).build());

        assertTrue(e.getMessage().contains("schedule must be in epochs"), e.getMessage());
    }

    /**
     * A TrainingMaster that is not parameter averaging (as SharedTrainingMaster, which is not a dependency here):
     * asked to train, it runs a Spark job and records it, so a missing check would be seen.
     */
    @SuppressWarnings("unchecked")
    private static TrainingMaster<?, ?> gradientSharingStandIn(AtomicBoolean trained) {
        return (TrainingMaster<?, ?>) Proxy.newProxyInstance(TrainingMaster.class.getClassLoader(),
                new Class<?>[] {TrainingMaster.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("executeTraining")) {
                        trained.set(true);
                        ((JavaRDD<DataSet>) args[1]).count();
                        return null;
                    }
                    if (method.getName().equals("toString")) {
                        return "GradientSharingStandIn";
                    }
                    return method.getReturnType() == boolean.class ? Boolean.FALSE : null;
                });
    }

    /** Adam's [M | V] for one parameter of one layer, read from the updater block that holds it. */
    private static INDArray adamState(MultiLayerNetwork net, int layerIndex, String param) {
        Layer layer = net.getLayer(layerIndex);
        for (UpdaterBlock block : ((BaseMultiLayerUpdater<?>) net.getUpdater()).getUpdaterBlocks()) {
            long blockLength = block.getParamOffsetEnd() - block.getParamOffsetStart();
            long offset = 0;
            for (UpdaterBlock.ParamState state : block.getLayersAndVariablesInBlock()) {
                long length = state.getParamOffsetEnd() - state.getParamOffsetStart();
                if (state.getLayer() == layer && state.getParamName().equals(param)) {
                    INDArray view = block.getUpdaterView();
                    assertNotNull(view, "no updater state for " + param);
                    INDArray m = view.get(NDArrayIndex.interval(offset, offset + length));
                    INDArray v = view.get(NDArrayIndex.interval(blockLength + offset, blockLength + offset + length));
                    return org.nd4j.linalg.factory.Nd4j.concat(0, m.reshape(-1), v.reshape(-1)).dup();
                }
                offset += length;
            }
        }
        throw new AssertionError("parameter " + layerIndex + "_" + param + " not found in the updater blocks");
    }
}
