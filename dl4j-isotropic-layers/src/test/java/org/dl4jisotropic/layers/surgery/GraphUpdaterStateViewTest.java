package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.maxAbs;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.dl4jisotropic.layers.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * The updater-state view on a ComputationGraph, keyed {@code "layerName_param"}: it reads, for every parameter, the
 * segments DL4J itself keeps under each component's name (even where DL4J splits the state into several blocks), and
 * after one Adam step from a new state it reads Adam's moments of the gradient that step used.
 */
class GraphUpdaterStateViewTest {

    /** Moments computed in double precision from the same gradient. */
    private static final double RELATIVE = 1e-12;
    private static final int BATCH_SIZE = 8;

    static Stream<IUpdater> stateful() {
        return UpdaterStateCanaryTest.stateful();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stateful")
    void everyComponentIsReadWhereDl4jKeepsItsNamedStateAcrossTheGraphsBlocks(IUpdater updater) {
        ComputationGraphConfiguration configuration = SurgeryGraphs.convToDense(updater);
        // another updater on c1: three blocks, the later ones at non-zero offsets in parameters and state
        ((BaseLayer) ((LayerVertex) configuration.getVertices().get("c1")).getLayerConf().getLayer())
                .setIUpdater(new Nesterovs(0.1, 0.5));
        ComputationGraph graph = new ComputationGraph(configuration);
        graph.init();
        assertEquals(3, graph.getUpdater().getUpdaterBlocks().size(), "updater blocks");
        INDArray view = graph.getUpdater().getStateViewArray();
        // distinct values, so that reading from the wrong place cannot match by accident
        view.assign(Nd4j.linspace(DataType.DOUBLE, 1.0, 1.0, view.length()).reshape(view.shape()));
        UpdaterStateView ours = UpdaterStateView.of(graph);

        int compared = 0;
        for (UpdaterBlock block : graph.getUpdater().getUpdaterBlocks()) {
            Map<String, INDArray> dl4j = block.getGradientUpdater().getState();
            for (UpdaterBlock.ParamState state : block.getLayersAndVariablesInBlock()) {
                String key = state.getLayer().getConfig().getLayerName() + "_" + state.getParamName();
                List<UpdaterStateKinds.Component> table = UpdaterStateKinds.components(
                        state.getLayer().getConfig().getUpdaterByParam(state.getParamName()), key);
                assertEquals(dl4j.keySet(), table.stream().map(UpdaterStateKinds.Component::key)
                        .collect(Collectors.toSet()), key);
                long start = state.getParamOffsetStart() - block.getParamOffsetStart();
                long end = state.getParamOffsetEnd() - block.getParamOffsetStart();
                List<INDArray> read = ours.read(view, key);
                for (int c = 0; c < table.size(); c++) {
                    INDArray named = dl4j.get(table.get(c).key());
                    INDArray expected = named.reshape(named.length()).get(NDArrayIndex.interval(start, end));
                    assertEquals(expected, read.get(c).reshape(end - start), key + " component " + c);
                    compared++;
                }
            }
        }
        assertTrue(compared >= graph.paramTable().size(), "components compared: " + compared);
    }

    @Test
    void theViewKeysEveryParameterByLayerNameAsTheParamTableDoes() {
        ComputationGraph graph = new ComputationGraph(SurgeryGraphs.residual());
        graph.init();

        assertEquals(graph.paramTable().keySet(), UpdaterStateView.of(graph).keys());
    }

    @Test
    void afterOneAdamStepTheMomentsAreThoseOfTheGradientPerExample() {
        // conv-graph.md A2: DL4J divides the summed gradient by the minibatch size inside the updater, so after one
        // step from zero state M = (1 - beta1) g / mb and V = (1 - beta2) (g / mb)^2, in each parameter's own layout
        double beta1 = 0.8;
        double beta2 = 0.95;
        ComputationGraph graph = new ComputationGraph(SurgeryGraphs.convToDense(new Adam(1e-2, beta1, beta2, 1e-8)));
        graph.init();
        DataSet batch = new DataSet(SurgeryGraphs.images(BATCH_SIZE, 3),
                TestData.oneHot(33, DataType.DOUBLE, BATCH_SIZE, SurgeryGraphs.CLASSES));
        ComputationGraph copy = graph.clone();
        copy.setInputs(batch.getFeatures());
        copy.setLabels(batch.getLabels());
        copy.computeGradientAndScore();

        graph.fit(batch);

        UpdaterStateView view = UpdaterStateView.of(graph);
        Set<String> keys = graph.paramTable().keySet();
        for (String key : keys) {
            INDArray parameter = graph.getParam(key);
            INDArray g = copy.gradient().getGradientFor(key).dup().divi(BATCH_SIZE);
            List<INDArray> moments = view.read(graph.getUpdater().getStateViewArray(), key);
            INDArray m = moments.get(0).dup().reshape(parameter.ordering(), parameter.shape());
            INDArray v = moments.get(1).dup().reshape(parameter.ordering(), parameter.shape());
            INDArray expectedM = g.mul(1 - beta1);
            INDArray expectedV = g.mul(g).muli(1 - beta2);
            assertTrue(maxAbs(expectedM) > 0.0, key + ": the gradient must not vanish");
            assertTrue(maxAbsDifference(expectedM, m) <= RELATIVE * maxAbs(expectedM), key + " M");
            assertTrue(maxAbsDifference(expectedV, v) <= RELATIVE * maxAbs(expectedV), key + " V");
        }
    }
}
