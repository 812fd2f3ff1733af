package org.dl4jisotropic.layers.adapt;

import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jisotropic.core.surgery.SingularSpectrum;
import org.dl4jisotropic.core.surgery.SurgeryOperation;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.shade.jackson.databind.ObjectMapper;

class NeuroadaptationListenerTest {

    /** Diagonalization moves O(1) parameters by O(1): far more than rounding. */
    private static final double REWRITTEN = 1e-6;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void growthOnlyRoundsNeverChangeTheFunctionAtTheMomentOfSurgery(DataType type) {
        MultiLayerNetwork net = AdaptiveNetworks.network(type);
        DataSet data = AdaptiveNetworks.data(type, 64);
        net.fit(new ViewIterator(data, 16), 2);
        // tau below every singular value and nothing to remove: each round only grows
        NeuroadaptationListener listener = NeuroadaptationListener.builder(net).threshold(1e-9).scaffoldBuffer(3)
                .build();
        INDArray before = net.output(data.getFeatures());

        List<AdaptationEvent> events = listener.adaptNow();

        assertTrue(events.stream().allMatch(e -> e.operation() == SurgeryOperation.GROW), events.toString());
        double change = maxAbsDifference(before, net.output(data.getFeatures()));
        double tolerance = type == DataType.DOUBLE ? Tolerances.SURGERY_F64
                : Tolerances.FLOAT32_RELATIVE;
        assertTrue(change <= tolerance, () -> type + ": max output change " + change);
    }

    @Test
    void afterEveryRoundTheAdaptingLayerHasExactlyKScaffoldsWithinItsWidthRange() {
        MultiLayerNetwork net = AdaptiveNetworks.network(DataType.DOUBLE);
        DataSet data = AdaptiveNetworks.data(DataType.DOUBLE, 128);
        NeuroadaptationListener listener = NeuroadaptationListener.builder(net).layers(1).threshold(0.95)
                .scaffoldBuffer(2).widthRange(4, 30).build();
        NetworkSurgeon surgeon = new NetworkSurgeon(net);

        for (int round = 0; round < 4; round++) {
            net.fit(new ViewIterator(data, 16), 1);
            listener.adaptNow();
            long width = net.getLayer(1).getParam("b").length();
            assertTrue(width >= 4 && width <= 30, "width " + width);
            SingularSpectrum spectrum = surgeon.spectra().get(1);
            assertEquals(2, spectrum.countAtMost(0.95), "round " + round + ": " + spectrum);
        }
    }

    @Test
    void theFirstHiddenLayerIsAdaptedLastAndEndsEachRoundWithKScaffolds() {
        MultiLayerNetwork net = AdaptiveNetworks.network(DataType.DOUBLE);
        DataSet data = AdaptiveNetworks.data(DataType.DOUBLE, 128);
        NeuroadaptationListener listener = NeuroadaptationListener.builder(net).threshold(0.95).scaffoldBuffer(2)
                .build();
        NetworkSurgeon surgeon = new NetworkSurgeon(net);

        for (int round = 0; round < 3; round++) {
            net.fit(new ViewIterator(data, 16), 1);
            List<AdaptationEvent> events = listener.adaptNow();
            assertEquals(List.of(1, 0), events.stream().map(AdaptationEvent::layer).toList(), "last layer first");
            assertEquals(2, surgeon.spectra().get(0).countAtMost(0.95), "round " + round);
        }
    }

    @Test
    void insideFitTheListenerResizesTheSameNetworkAndTrainingContinues() {
        MultiLayerNetwork net = AdaptiveNetworks.network(DataType.FLOAT);
        DataSet data = AdaptiveNetworks.data(DataType.FLOAT, 256);
        List<AdaptationEvent> events = new ArrayList<>();
        net.addListeners(NeuroadaptationListener.builder(net).schedule(AdaptationSchedule.everyIterations(8))
                .threshold(0.95).scaffoldBuffer(3).eventSink(events::add).build());
        double before = net.score(data);

        net.fit(new ViewIterator(data, 16), 4);   // 64 iterations, 8 rounds

        assertEquals(16, events.size(), "two layers per round, eight rounds");
        assertTrue(events.stream().anyMatch(e -> e.operation() != SurgeryOperation.DIAGONALIZE_LEFT));
        assertEquals(64, net.getIterationCount());
        assertEquals(4, net.getEpochCount());
        double after = net.score(data);
        assertTrue(after < before, "loss must keep falling: " + before + " -> " + after);
        List<Long> last = events.get(events.size() - 1).widths();
        assertEquals(last.get(0).longValue(), net.getLayer(0).getParam("b").length());
    }

    @Test
    void monitoringRoundsDiagonalizeWithoutResizing() {
        MultiLayerNetwork net = AdaptiveNetworks.network(DataType.DOUBLE);
        DataSet data = AdaptiveNetworks.data(DataType.DOUBLE, 64);
        net.fit(new ViewIterator(data, 16), 2);
        NeuroadaptationListener listener = NeuroadaptationListener.builder(net).resizing(false).build();
        INDArray before = net.output(data.getFeatures());
        INDArray parameters = net.params().dup();

        List<AdaptationEvent> events = listener.adaptNow();

        assertTrue(events.stream().allMatch(e -> e.operation() == SurgeryOperation.DIAGONALIZE_LEFT));
        assertEquals(parameters.length(), net.params().length());
        assertTrue(maxAbsDifference(parameters, net.params()) > REWRITTEN,
                "the network is rewritten in its diagonal basis");
        assertTrue(maxAbsDifference(before, net.output(data.getFeatures())) <= Tolerances.SURGERY_F64);
    }

    @Test
    void eventsAreAppendedAsJsonLines() throws IOException {
        MultiLayerNetwork net = AdaptiveNetworks.network(DataType.FLOAT);
        Path file = dir.resolve("events.jsonl");
        NeuroadaptationListener listener = NeuroadaptationListener.builder(net)
                .probe(AdaptiveNetworks.data(DataType.FLOAT, 32).getFeatures())
                .eventSink(new JsonLinesEventSink(file)).build();

        listener.adaptNow();
        listener.adaptNow();

        List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size());
        Map<?, ?> first = new ObjectMapper().readValue(lines.get(0), Map.class);
        assertEquals(1, first.get("layer"), "last hidden layer first");
        for (String key : List.of("epoch", "iteration", "op", "count", "removedSingularValues", "errorBound",
                "maxOutputChange", "widths", "seconds")) {
            assertTrue(first.containsKey(key), key);
        }
        assertTrue(first.get("maxOutputChange") instanceof Number);
    }

    @Test
    void aSaveRestoreResumeRunAdaptsExactlyLikeAnUninterruptedOne() throws IOException {
        DataSet data = AdaptiveNetworks.data(DataType.DOUBLE, 128);
        MultiLayerNetwork uninterrupted = AdaptiveNetworks.network(DataType.DOUBLE);
        uninterrupted.addListeners(listener(uninterrupted));
        uninterrupted.fit(new ViewIterator(data, 16), 4);

        MultiLayerNetwork firstHalf = AdaptiveNetworks.network(DataType.DOUBLE);
        firstHalf.addListeners(listener(firstHalf));
        firstHalf.fit(new ViewIterator(data, 16), 2);
        File file = dir.resolve("checkpoint.zip").toFile();
        ModelSerializer.writeModel(firstHalf, file, true);
        MultiLayerNetwork resumed = ModelSerializer.restoreMultiLayerNetwork(file, true);
        resumed.addListeners(listener(resumed));
        resumed.fit(new ViewIterator(data, 16), 2);

        assertEquals(uninterrupted.getLayerWiseConfigurations(), resumed.getLayerWiseConfigurations());
        assertTrue(maxAbsDifference(uninterrupted.params(), resumed.params()) <= Tolerances.SURGERY_F64);
    }

    private static NeuroadaptationListener listener(MultiLayerNetwork net) {
        return NeuroadaptationListener.builder(net).schedule(AdaptationSchedule.everyEpochs(1)).threshold(0.97)
                .scaffoldBuffer(2).seed(9).build();
    }

    @Test
    void earlyStoppingTrainingAdaptsWidths() {
        MultiLayerNetwork net = AdaptiveNetworks.network(DataType.FLOAT);
        DataSet data = AdaptiveNetworks.data(DataType.FLOAT, 128);
        List<AdaptationEvent> events = new ArrayList<>();
        net.addListeners(NeuroadaptationListener.builder(net).scaffoldBuffer(3).eventSink(events::add).build());
        EarlyStoppingConfiguration<MultiLayerNetwork> configuration = new EarlyStoppingConfiguration.Builder<
                MultiLayerNetwork>().epochTerminationConditions(new MaxEpochsTerminationCondition(3))
                .scoreCalculator(new DataSetLossCalculator(new ViewIterator(data, 64), true))
                .modelSaver(new InMemoryModelSaver<>()).build();

        EarlyStoppingResult<MultiLayerNetwork> result = new EarlyStoppingTrainer(configuration, net,
                new ViewIterator(data, 16)).fit();

        assertEquals(3, result.getTotalEpochs());
        assertEquals(6, events.size(), "one round per epoch, two layers");
        assertTrue(events.stream().anyMatch(e -> e.report().widthAfter() != e.report().widthBefore()),
                events.toString());
        assertEquals(events.get(events.size() - 1).widths().get(0).longValue(),
                net.getLayer(0).getParam("b").length());
    }

    @Test
    void aZeroThresholdIsRejectedWhenBuilt() {
        MultiLayerNetwork net = AdaptiveNetworks.network(DataType.FLOAT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NeuroadaptationListener.builder(net).threshold(0.0).build());
        assertTrue(e.getMessage().contains("threshold (tau) must be finite and > 0"), e.getMessage());
    }

    @Test
    void aNegativeBufferIsRejectedWhenBuilt() {
        MultiLayerNetwork net = AdaptiveNetworks.network(DataType.FLOAT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NeuroadaptationListener.builder(net).scaffoldBuffer(-1).build());
        assertTrue(e.getMessage().contains("scaffoldBuffer (K) must be >= 0"), e.getMessage());
    }

    @Test
    void aMinimumWidthAboveTheMaximumIsRejectedWhenBuilt() {
        MultiLayerNetwork net = AdaptiveNetworks.network(DataType.FLOAT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NeuroadaptationListener.builder(net).widthRange(1, 20, 10).build());
        assertTrue(e.getMessage().contains("minWidth=20, maxWidth=10"), e.getMessage());
    }

    @Test
    void aNonIsotropicNetworkIsRejectedWhenBuilt() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(3)).build());
        net.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NeuroadaptationListener.builder(net).build());
        assertTrue(e.getMessage().contains("must be an isotropic hidden layer"), e.getMessage());
    }

    @Test
    void aLayerThatCannotShrinkIsRejectedWhenBuilt() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nOut(4).activation(new IsotropicTanh()).build())
                .layer(new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(3)).build());
        net.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NeuroadaptationListener.builder(net).build());
        assertTrue(e.getMessage().contains("use IsotropicDenseLayer"), e.getMessage());
    }

    @Test
    void anAdaptingLayerOutOfRangeIsRejectedWhenBuilt() {
        MultiLayerNetwork net = AdaptiveNetworks.network(DataType.FLOAT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NeuroadaptationListener.builder(net).layers(2).build());
        assertTrue(e.getMessage().contains("must be in [0, 1], found 2"), e.getMessage());
    }

    @Test
    void callingTheListenerForAnotherModelFailsClearly() {
        MultiLayerNetwork net = AdaptiveNetworks.network(DataType.FLOAT);
        NeuroadaptationListener listener = NeuroadaptationListener.builder(net).build();
        MultiLayerNetwork other = AdaptiveNetworks.network(DataType.FLOAT);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> listener.onEpochEnd(other));
        assertTrue(e.getMessage().contains("bound to the MultiLayerNetwork"), e.getMessage());
    }
}
