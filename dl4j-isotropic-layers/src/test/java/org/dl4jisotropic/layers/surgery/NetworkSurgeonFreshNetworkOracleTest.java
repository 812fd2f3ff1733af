package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.maxAbs;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.adapt.ScaffoldPolicy;
import org.dl4jisotropic.layers.adapt.AdaptationSchedule;
import org.dl4jisotropic.layers.adapt.NeuroadaptationListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.learning.config.Adam;

/**
 * After every kind of surgery the network is indistinguishable from a new {@code MultiLayerNetwork} built from its
 * configuration and parameters (the oracle, which DL4J's own constructor and {@code init} set up): {@code conf()},
 * {@code getLayerWiseConfigurations()}, {@code summary()}, the gradient before and after the next gradient
 * computation, the score and the gradient array.
 */
class NetworkSurgeonFreshNetworkOracleTest {

    /** The same parameters and batch through the same DL4J code: equal up to summation order at most. */
    private static final double SAME_COMPUTATION = 1e-12;
    private static final int BATCH = 16;
    private static final long BATCH_SALT = 42L;

    /** Hidden widths of {@link SurgeryNetworks#mixed} before any surgery. */
    private static final List<Long> WIDTHS = List.of(7L, 6L, 5L, 6L);

    /** Each kind of surgery, with the hidden widths it must produce. */
    enum Surgery {
        GROW_FIRST_LAYER(List.of(9L, 6L, 5L, 6L)),
        GROW_LATER_LAYER(List.of(7L, 6L, 8L, 6L)),
        SHRINK_FIRST_LAYER(List.of(5L, 6L, 5L, 6L)),
        SHRINK_LATER_LAYER(List.of(7L, 4L, 5L, 6L)),
        /** One round: layer 0 shrinks to its minimum width, layer 1 grows by its buffer. */
        ADAPT_WIDTHS(List.of(4L, 8L, 5L, 6L)),
        /** Same shapes: the install writes into the existing arrays instead of rebuilding. */
        DIAGONALIZE_ALL(WIDTHS);

        final List<Long> widthsAfter;

        Surgery(List<Long> widthsAfter) {
            this.widthsAfter = widthsAfter;
        }

        void applyTo(NetworkSurgeon surgeon) {
            switch (this) {
                case GROW_FIRST_LAYER -> surgeon.grow(0, 2, 5L);
                case GROW_LATER_LAYER -> surgeon.grow(2, 3, 5L);
                case SHRINK_FIRST_LAYER -> surgeon.shrink(0, 2);
                case SHRINK_LATER_LAYER -> surgeon.shrink(1, 2);
                // tau far above every singular value: all 7 neurons are scaffolds, so layer 0 shrinks to its
                // minimum; tau far below: none is, so layer 1 grows by K = 2
                case ADAPT_WIDTHS -> surgeon.adaptWidths(Map.of(0, new ScaffoldPolicy(1e3, 0, 4, 64),
                        1, new ScaffoldPolicy(1e-9, 2, 1, 64)), 5L);
                case DIAGONALIZE_ALL -> surgeon.diagonalizeAllLeft();
                default -> throw new IllegalStateException(name());
            }
        }
    }

    private static MultiLayerNetwork trained() {
        MultiLayerNetwork net = SurgeryNetworks.trained(DataType.DOUBLE, new Adam(1e-2), 3);
        assertNotNull(net.gradient(), "precondition: training left a gradient behind");
        assertEquals(WIDTHS, NetworkSurgeon.hiddenWidths(net), "precondition");
        return net;
    }

    /** The oracle: a new network from a JSON copy of the configuration and a copy of the parameters. */
    private static MultiLayerNetwork fresh(MultiLayerNetwork net) {
        MultiLayerNetwork fresh = new MultiLayerNetwork(
                MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson()));
        fresh.init(net.params().dup(), false);
        return fresh;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Surgery.class)
    void confDescribesTheNewFirstLayerAsInANewNetwork(Surgery surgery) {
        MultiLayerNetwork net = trained();

        surgery.applyTo(new NetworkSurgeon(net));

        MultiLayerNetwork fresh = fresh(net);
        assertEquals(surgery.widthsAfter.get(0), ((FeedForwardLayer) net.conf().getLayer()).getNOut(),
                "conf() must describe the current layer 0");
        assertEquals(fresh.conf(), net.conf());
        assertEquals(fresh.conf().toJson(), net.conf().toJson());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Surgery.class)
    void theLayerWiseConfigurationsHaveTheNewWidthsAsInANewNetwork(Surgery surgery) {
        MultiLayerNetwork net = trained();

        surgery.applyTo(new NetworkSurgeon(net));

        MultiLayerConfiguration configuration = net.getLayerWiseConfigurations();
        for (int layer = 0; layer < surgery.widthsAfter.size(); layer++) {
            FeedForwardLayer conf = (FeedForwardLayer) configuration.getConf(layer).getLayer();
            FeedForwardLayer next = (FeedForwardLayer) configuration.getConf(layer + 1).getLayer();
            assertEquals(surgery.widthsAfter.get(layer), conf.getNOut(), "nOut of layer " + layer);
            // a stock layer after an IsotropicDenseLayer reads one extra input, the scale column
            long scaleColumn = next.getNIn() - conf.getNOut();
            assertTrue(scaleColumn == 0 || scaleColumn == 1, "nIn of layer " + (layer + 1) + ": " + next.getNIn());
        }
        assertEquals(surgery.widthsAfter, NetworkSurgeon.hiddenWidths(net));
        assertEquals(fresh(net).getLayerWiseConfigurations(), configuration);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Surgery.class)
    void theSummaryIsTheSummaryOfANewNetwork(Surgery surgery) {
        MultiLayerNetwork net = trained();
        String before = net.summary();

        surgery.applyTo(new NetworkSurgeon(net));

        assertEquals(fresh(net).summary(), net.summary());
        if (!surgery.widthsAfter.equals(WIDTHS)) {
            assertNotEquals(before, net.summary(), "a resize must show in the summary");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Surgery.class)
    void noGradientIsLeftUntilTheNextComputationAsInANewNetwork(Surgery surgery) {
        MultiLayerNetwork net = trained();

        surgery.applyTo(new NetworkSurgeon(net));

        MultiLayerNetwork fresh = fresh(net);
        assertNull(fresh.gradient(), "oracle");
        assertNull(net.gradient(), "the gradient of the parameters before surgery must not survive it");
        INDArray view = net.getGradientsViewArray();
        assertTrue(view == null || view.length() == net.numParams(),
                "a gradient array, if any, must have the new length " + net.numParams() + ", found " + view);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Surgery.class)
    void theNextGradientAndScoreAreThoseOfANewNetwork(Surgery surgery) {
        MultiLayerNetwork net = trained();
        surgery.applyTo(new NetworkSurgeon(net));
        MultiLayerNetwork fresh = fresh(net);

        computeGradientAndScore(net);
        computeGradientAndScore(fresh);

        assertEquals(fresh.score(), net.score(), SAME_COMPUTATION * Math.abs(fresh.score()));
        assertSameGradient(fresh, net);
    }

    @Test
    void afterResizingRoundsInsideFitTheNetworkIsANewNetworksTwin() {
        MultiLayerNetwork net = SurgeryNetworks.mixed(DataType.DOUBLE, new Adam(1e-2));
        INDArray x = SurgeryNetworks.inputs(DataType.DOUBLE, 64, 1);
        DataSet data = new DataSet(x, SurgeryNetworks.labels(DataType.DOUBLE, 64, 1));
        List<List<Long>> widths = new ArrayList<>();
        NeuroadaptationListener listener = NeuroadaptationListener.builder(net)
                .schedule(AdaptationSchedule.everyIterations(2)).threshold(0.95).scaffoldBuffer(2).layers(0, 1)
                .eventSink(event -> widths.add(event.widths())).build();
        net.addListeners(listener);

        net.fit(new ViewIterator(data, BATCH), 2);   // 8 iterations, 4 rounds

        assertTrue(widths.stream().anyMatch(w -> !w.get(0).equals(WIDTHS.get(0))),
                "precondition: layer 0 was resized at least once, widths " + widths);
        MultiLayerNetwork fresh = fresh(net);
        assertEquals(NetworkSurgeon.hiddenWidths(net).get(0), ((FeedForwardLayer) net.conf().getLayer()).getNOut());
        assertEquals(fresh.conf(), net.conf());
        assertEquals(fresh.summary(), net.summary());
        computeGradientAndScore(net);
        computeGradientAndScore(fresh);
        assertEquals(fresh.score(), net.score(), SAME_COMPUTATION * Math.abs(fresh.score()));
        assertSameGradient(fresh, net);
    }

    private static void computeGradientAndScore(MultiLayerNetwork net) {
        net.setInput(SurgeryNetworks.inputs(DataType.DOUBLE, BATCH, BATCH_SALT));
        net.setLabels(SurgeryNetworks.labels(DataType.DOUBLE, BATCH, BATCH_SALT));
        net.computeGradientAndScore();
    }

    private static void assertSameGradient(MultiLayerNetwork expected, MultiLayerNetwork actual) {
        Map<String, INDArray> want = new TreeMap<>(expected.gradient().gradientForVariable());
        Map<String, INDArray> got = new TreeMap<>(actual.gradient().gradientForVariable());
        assertEquals(want.keySet(), got.keySet(), "gradient keys");
        for (Map.Entry<String, INDArray> entry : want.entrySet()) {
            INDArray g = got.get(entry.getKey());
            assertArrayEquals(entry.getValue().shape(), g.shape(), "shape of " + entry.getKey());
            assertTrue(maxAbsDifference(entry.getValue(), g) <= SAME_COMPUTATION * Math.max(1.0,
                    maxAbs(entry.getValue())), "gradient of " + entry.getKey());
        }
        INDArray flat = actual.getGradientsViewArray();
        assertEquals(actual.numParams(), flat.length(), "gradient array length");
        assertTrue(maxAbsDifference(expected.getGradientsViewArray(), flat) <= SAME_COMPUTATION * Math.max(1.0,
                maxAbs(expected.getGradientsViewArray())), "gradient array");
    }
}
