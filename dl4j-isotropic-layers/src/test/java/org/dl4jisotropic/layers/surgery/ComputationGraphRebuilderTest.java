package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jisotropic.layers.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The in-place rebuild of a ComputationGraph: a conv channel and a dense unit grown by hand inside
 * {@code fit(iterator, epochs)} (from a listener, as adaptive width does) keep the object, the counters, the state of
 * every untouched parameter and the function; the result saves and loads; bad input is rejected before anything
 * changes.
 */
class ComputationGraphRebuilderTest {

    /** method.md section 10: growth in float64. */
    private static final double EXACT = 1e-12;
    private static final int BATCHES = 4;
    private static final int BATCH_SIZE = 8;
    private static final int EPOCHS = 2;
    /** Iterations (as the listener sees them) after which the conv layer c1 and the dense layer d grow. */
    private static final int GROW_CONV_AT = 2;
    private static final int GROW_DENSE_AT = 5;
    /** Parameters neither growth touches. */
    private static final List<String> UNTOUCHED = List.of("c0_W", "c0_b", "out_b");

    /** What the resizing listener saw around each growth. */
    private record Growth(String writer, Model model, int iterationBefore, int iterationAfter, double outputChange,
                         Map<String, List<INDArray>> stateBefore, Map<String, List<INDArray>> stateAfter,
                         long numParamsBefore, long numParamsAfter) {
    }

    private static ComputationGraph graph;
    private static final List<Growth> growths = new ArrayList<>();
    private static final List<Model> modelsSeen = new ArrayList<>();
    private static INDArray probe;

    @BeforeAll
    static void growTwiceInsideFit() {
        graph = new ComputationGraph(SurgeryGraphs.convToDense(new Adam(1e-2)));
        graph.init();
        probe = SurgeryGraphs.images(5, 99);
        graph.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                modelsSeen.add(model);
                if (iteration == GROW_CONV_AT) {
                    growths.add(grow((ComputationGraph) model, "c1", 7L));
                } else if (iteration == GROW_DENSE_AT) {
                    growths.add(grow((ComputationGraph) model, "d", 8L));
                }
            }
        });
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < BATCHES; i++) {
            batches.add(new DataSet(SurgeryGraphs.images(BATCH_SIZE, i),
                    TestData.oneHot(500 + i, DataType.DOUBLE, BATCH_SIZE, SurgeryGraphs.CLASSES)));
        }
        // one DataSet (of BATCH_SIZE examples) per iteration
        graph.fit(new ListDataSetIterator<>(batches, 1), EPOCHS);
    }

    private static Growth grow(ComputationGraph model, String writer, long seed) {
        INDArray before = model.outputSingle(probe).dup();
        int iterationBefore = model.getConfiguration().getIterationCount();
        Map<String, List<INDArray>> stateBefore = untouchedState(model);
        long numParamsBefore = model.numParams();

        HandGrowth.growByOne(model, writer, seed);

        return new Growth(writer, model, iterationBefore, model.getConfiguration().getIterationCount(),
                maxAbsDifference(before, model.outputSingle(probe)), stateBefore, untouchedState(model),
                numParamsBefore, model.numParams());
    }

    private static Map<String, List<INDArray>> untouchedState(ComputationGraph model) {
        UpdaterStateView view = UpdaterStateView.of(model);
        Map<String, List<INDArray>> state = new LinkedHashMap<>();
        for (String key : UNTOUCHED) {
            state.put(key, view.read(model.getUpdater().getStateViewArray(), key).stream().map(INDArray::dup)
                    .toList());
        }
        return state;
    }

    @Test
    void bothGrowthsHappenedAndGrewTheGraph() {
        assertEquals(List.of("c1", "d"), growths.stream().map(Growth::writer).toList());
        assertEquals(5, graph.getLayer("c1").getParam("W").size(0), "c1 channels");
        assertEquals(6, graph.getLayer("d").getParam("W").size(1), "d units");
        for (Growth growth : growths) {
            assertTrue(growth.numParamsAfter() > growth.numParamsBefore(), growth.writer());
        }
    }

    @Test
    void fitKeepsWorkingOnTheSameObject() {
        assertEquals(BATCHES * EPOCHS, modelsSeen.size(), "iterations run");
        for (Model model : modelsSeen) {
            assertSame(graph, model);
        }
    }

    @Test
    void theIterationAndEpochCountsAreCarried() {
        for (Growth growth : growths) {
            assertEquals(growth.iterationBefore(), growth.iterationAfter(), growth.writer());
        }
        assertEquals(BATCHES * EPOCHS, graph.getConfiguration().getIterationCount());
        assertEquals(EPOCHS, graph.getConfiguration().getEpochCount());
    }

    @Test
    void theOutputDoesNotChangeAtEitherGrowth() {
        for (Growth growth : growths) {
            assertTrue(growth.outputChange() <= EXACT, growth.writer() + ": output change " + growth.outputChange());
        }
    }

    @Test
    void theAdamStateOfUntouchedParametersIsBitIdentical() {
        for (Growth growth : growths) {
            for (String key : UNTOUCHED) {
                List<INDArray> before = growth.stateBefore().get(key);
                assertTrue(before.get(0).amaxNumber().doubleValue() > 0.0, key + ": the state must be non-trivial");
                assertEquals(before, growth.stateAfter().get(key), growth.writer() + ": " + key);
            }
        }
    }

    @Test
    void theNewChannelLearnsAfterTheGrowth() {
        // zero incoming weights at the growth; training after it must move them (the outgoing weights are not zero)
        INDArray newFilter = graph.getLayer("c1").getParam("W").dup().slice(4);
        assertTrue(newFilter.norm2Number().doubleValue() > 1e-4, "new filter norm " + newFilter.norm2Number());
    }

    @Test
    void theGrownGraphSavesAndLoadsUnchanged() throws IOException {
        File file = Files.createTempFile("grown-graph", ".zip").toFile();
        file.deleteOnExit();
        ModelSerializer.writeModel(graph, file, true);

        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

        assertEquals(graph.getConfiguration().toJson(), restored.getConfiguration().toJson());
        assertEquals(graph.params(), restored.params());
        assertEquals(graph.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(graph.outputSingle(probe), restored.outputSingle(probe));
    }

    /** Everything a rejected rebuild could damage. */
    private record Snapshot(String configuration, INDArray parameters, INDArray state, INDArray output) {
        static Snapshot of(ComputationGraph graph) {
            return new Snapshot(graph.getConfiguration().toJson(), graph.params().dup(),
                    graph.getUpdater().getStateViewArray().dup(), graph.outputSingle(probe).dup());
        }
    }

    private static ComputationGraph trained() {
        ComputationGraph trained = new ComputationGraph(SurgeryGraphs.convToDense(new Adam(1e-2)));
        trained.init();
        trained.fit(new DataSet(SurgeryGraphs.images(BATCH_SIZE, 0),
                TestData.oneHot(500, DataType.DOUBLE, BATCH_SIZE, SurgeryGraphs.CLASSES)));
        return trained;
    }

    @Test
    void parametersOfAnotherLengthAreRejectedBeforeAnythingChanges() {
        ComputationGraph trained = trained();
        Snapshot before = Snapshot.of(trained);
        long n = trained.numParams();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComputationGraphRebuilder
                .rebuild(trained, trained.getConfiguration().clone(), Nd4j.zeros(DataType.DOUBLE, 1, n + 1), null));

        assertTrue(e.getMessage().contains("length " + n + ", found " + (n + 1)), e.getMessage());
        assertEquals(before, Snapshot.of(trained));
    }

    @Test
    void anUpdaterStateOfAnotherLengthIsRejectedBeforeAnythingChanges() {
        ComputationGraph trained = trained();
        Snapshot before = Snapshot.of(trained);
        long length = trained.getUpdater().getStateViewArray().length();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComputationGraphRebuilder
                .rebuild(trained, trained.getConfiguration().clone(), trained.params().dup(),
                        Nd4j.zeros(DataType.DOUBLE, 1, length - 1)));

        assertTrue(e.getMessage().contains("length " + length + ", found " + (length - 1)), e.getMessage());
        assertEquals(before, Snapshot.of(trained));
    }

    @Test
    void aConfigurationWithAnotherTopologyIsRejectedBeforeAnythingChanges() {
        ComputationGraph trained = trained();
        Snapshot before = Snapshot.of(trained);
        ComputationGraphConfiguration rewired = trained.getConfiguration().clone();
        rewired.getVertexInputs().put("d", List.of("c1"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComputationGraphRebuilder
                .rebuild(trained, rewired, trained.params().dup(), null));

        assertTrue(e.getMessage().contains("vertex \"d\""), e.getMessage());
        assertEquals(before, Snapshot.of(trained));
    }
}
