package org.dl4jisotropic.layers.surgery;

import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dl4jisotropic.layers.testing.TestData;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Test code: a graph's optimizer state seen as parameters. {@link #componentAsParameters} copies the graph and sets
 * every parameter of the copy to that parameter's state component (DL4J's own state segment, in the parameter's shape),
 * so that state can be transformed by the same hand-written code as parameters ({@link GroupRotation}) and compared
 * parameter by parameter.
 */
final class GraphStateSnapshots {

    private GraphStateSnapshots() {
    }

    /** A copy of the graph whose parameters are its state component {@code component} (Adam: 0 = M, 1 = V). */
    static ComputationGraph componentAsParameters(ComputationGraph graph, int component) {
        ComputationGraph copy = graph.clone();
        UpdaterStateView view = UpdaterStateView.of(graph);
        INDArray state = graph.getUpdater().getStateViewArray();
        for (String key : copy.paramTable().keySet()) {
            INDArray param = copy.getParam(key);
            List<INDArray> components = view.read(state, key);
            param.assign(components.get(component).dup().reshape(param.ordering(), param.shape()));
        }
        return copy;
    }

    /** Trains a few Adam steps so that every state component is non-zero. */
    static void train(ComputationGraph graph, INDArray x, int steps) {
        DataSet batch = new DataSet(x, TestData.oneHot(3, DataType.DOUBLE, (int) x.size(0), SurgeryGraphs.CLASSES));
        for (int i = 0; i < steps; i++) {
            graph.fit(batch);
        }
    }

    /** The max absolute difference of two graphs' parameters of the same names and shapes. */
    static double maxParameterDifference(ComputationGraph expected, ComputationGraph actual) {
        return expected.params().sub(actual.params()).amaxNumber().doubleValue();
    }
}
