package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbs;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.dl4jisotropic.core.surgery.MomentKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Canary for the updater-state layout that {@link UpdaterStateView} and {@link UpdaterStateKinds} assume (pinned to
 * DL4J {@value UpdaterStateKinds#PINNED_DL4J_VERSION}), checked against DL4J itself for every supported updater: how
 * many values DL4J keeps per parameter, where each named component sits in a real network's state, and that each
 * component follows the gradient as its kind says. A DL4J upgrade that changes a layout fails here.
 */
class UpdaterStateCanaryTest {

    /** Ratios of state changes computed in double precision from the same gradient. */
    private static final double RELATIVE = 1e-12;
    private static final long[] PARAMETER_COUNTS = {1, 7, 300};
    private static final int GRADIENT_LENGTH = 6;

    static Stream<IUpdater> supported() {
        return Stream.of(new Sgd(0.05), new NoOp(), new Nesterovs(0.05, 0.9), new Adam(1e-2), new Nadam(1e-2),
                new AMSGrad(1e-2), new AdaMax(1e-2), new RmsProp(1e-2));
    }

    static Stream<IUpdater> stateful() {
        return supported().filter(u -> !(u instanceof Sgd) && !(u instanceof NoOp));
    }

    @Test
    void theNd4jOnTheClasspathIsTheVersionTheLayoutsArePinnedTo() throws IOException {
        assertEquals(UpdaterStateKinds.PINNED_DL4J_VERSION,
                MultiLayerNetworkInternalsCanaryTest.mavenVersion("/META-INF/maven/org.nd4j/nd4j-api/pom.properties"),
                "nd4j-api changed version: check this canary, then update UpdaterStateKinds.PINNED_DL4J_VERSION");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("supported")
    void dl4jKeepsOneValuePerParameterForEachComponentInTheTable(IUpdater updater) {
        int components = UpdaterStateKinds.of(updater, "test").size();
        for (long n : PARAMETER_COUNTS) {
            assertEquals(components * n, updater.stateSize(n), updater.getClass().getSimpleName() + " for " + n
                    + " parameters");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("supported")
    void everyComponentIsReadWhereDl4jKeepsItsNamedStateInTheMixedNetwork(IUpdater updater) {
        int compared = assertComponentsMatchDl4jsNamedState(SurgeryNetworks.mixed(DataType.DOUBLE, updater));

        assertEquals(updater.stateSize(1) > 0, compared > 0, "components compared: " + compared);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stateful")
    void everyComponentIsReadWhereDl4jKeepsItsNamedStateAcrossSeveralUpdaterBlocks(IUpdater updater) {
        // a layer with another updater between two with this one: three blocks, the parameters of the last one
        // starting at a non-zero offset in both the parameters and the state
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(11)
                .dataType(DataType.DOUBLE).updater(updater).list()
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.TANH).updater(new Nesterovs(0.1, 0.5))
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nOut(3).build())
                .setInputType(InputType.feedForward(6)).build());
        net.init();
        assertEquals(3, ((BaseMultiLayerUpdater<?>) net.getUpdater()).getUpdaterBlocks().size(), "updater blocks");

        assertTrue(assertComponentsMatchDl4jsNamedState(net) > 0, "nothing was compared");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stateful")
    void eachComponentFollowsTheGradientAsItsKindSays(IUpdater updater) {
        // After one step from a new state: a LINEAR component changes by a multiple of g, a SQUARED one by a
        // multiple of g^2, a MAGNITUDE one by a multiple of |g|, so flipping and doubling g tell them apart.
        INDArray g = gaussian(5, DataType.DOUBLE, GRADIENT_LENGTH);
        List<INDArray> none = stateAfterOneStep(updater, g.mul(0.0));
        List<INDArray> plus = minus(stateAfterOneStep(updater, g), none);
        List<INDArray> flipped = minus(stateAfterOneStep(updater, g.neg()), none);
        List<INDArray> doubled = minus(stateAfterOneStep(updater, g.mul(2.0)), none);
        List<UpdaterStateKinds.Component> table = UpdaterStateKinds.components(updater, "test");

        for (int c = 0; c < table.size(); c++) {
            MomentKind kind = table.get(c).kind();
            String what = updater.getClass().getSimpleName() + " component " + c + " (" + table.get(c).key() + ", "
                    + kind + ")";
            double scale = maxAbs(plus.get(c));
            assertTrue(scale > 0.0, what + " must change with the gradient");
            double sign = kind == MomentKind.LINEAR ? -1.0 : 1.0;
            double factor = kind == MomentKind.SQUARED ? 4.0 : 2.0;
            assertTrue(maxAbsDifference(flipped.get(c), plus.get(c).mul(sign)) <= RELATIVE * scale,
                    what + " under g -> -g");
            assertTrue(maxAbsDifference(doubled.get(c), plus.get(c).mul(factor)) <= RELATIVE * scale,
                    what + " under g -> 2g");
        }
    }

    /**
     * Compares what UpdaterStateView reads for every parameter with DL4J's own per-key views of each block.
     *
     * @return the number of components compared
     */
    private static int assertComponentsMatchDl4jsNamedState(MultiLayerNetwork net) {
        INDArray view = net.getUpdater().getStateViewArray();
        if (view != null && view.length() > 0) {
            // distinct values, so that reading from the wrong place cannot match by accident
            view.assign(Nd4j.linspace(DataType.DOUBLE, 1.0, 1.0, view.length()).reshape(view.shape()));
        }
        UpdaterStateView ours = UpdaterStateView.of(net);
        int checked = 0;
        for (UpdaterBlock block : ((BaseMultiLayerUpdater<?>) net.getUpdater()).getUpdaterBlocks()) {
            Map<String, INDArray> dl4j = block.getGradientUpdater().getState();
            Set<String> dl4jKeys = dl4j == null ? Set.of() : dl4j.keySet();
            for (UpdaterBlock.ParamState state : block.getLayersAndVariablesInBlock()) {
                Layer layer = (Layer) state.getLayer();
                String key = layer.getIndex() + "_" + state.getParamName();
                List<UpdaterStateKinds.Component> table = UpdaterStateKinds.components(
                        layer.conf().getLayer().getUpdaterByParam(state.getParamName()), key);
                assertEquals(dl4jKeys, table.stream().map(UpdaterStateKinds.Component::key)
                        .collect(Collectors.toSet()), "the components DL4J keeps for " + key);
                long start = state.getParamOffsetStart() - block.getParamOffsetStart();
                long end = state.getParamOffsetEnd() - block.getParamOffsetStart();
                // without state DL4J keeps no view at all (null for Sgd and NoOp)
                List<INDArray> read = table.isEmpty() ? List.of() : ours.read(view, key);
                assertEquals(table.size(), read.size(), key);
                for (int c = 0; c < table.size(); c++) {
                    INDArray named = dl4j.get(table.get(c).key());
                    INDArray expected = named.reshape(named.length()).get(NDArrayIndex.interval(start, end));
                    assertEquals(expected, read.get(c).reshape(end - start),
                            key + " component " + c + " must be DL4J's \"" + table.get(c).key() + "\"");
                    checked++;
                }
            }
        }
        return checked;
    }

    private static List<INDArray> stateAfterOneStep(IUpdater updater, INDArray gradient) {
        INDArray view = Nd4j.zeros(DataType.DOUBLE, updater.stateSize(gradient.length()));
        GradientUpdater<?> instance = updater.instantiate(view, true);
        instance.applyUpdater(gradient.dup(), 0, 0);
        List<INDArray> components = new ArrayList<>();
        for (UpdaterStateKinds.Component component : UpdaterStateKinds.components(updater, "test")) {
            INDArray value = instance.getState().get(component.key());
            components.add(value.reshape(value.length()).dup());
        }
        return components;
    }

    private static List<INDArray> minus(List<INDArray> a, List<INDArray> b) {
        List<INDArray> difference = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            difference.add(a.get(i).sub(b.get(i)));
        }
        return difference;
    }
}
