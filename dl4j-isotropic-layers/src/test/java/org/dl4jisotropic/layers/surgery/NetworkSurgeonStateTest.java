package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.maxAbs;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.dl4jisotropic.core.testing.TestArrays.randomOrthogonal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jisotropic.core.surgery.MomentKind;
import org.dl4jisotropic.core.surgery.SingularSpectrum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/** Parameters and optimizer state through surgery, for every supported updater. */
class NetworkSurgeonStateTest {

    @TempDir
    Path dir;

    /** Reparameterization and its inverse in float64 (method notes section 10). */
    private static final double EXACT = 1e-12;
    private static final double SGD_LEARNING_RATE = 0.05;
    private static final double MOMENTUM = 0.9;
    private static final double ADAPTIVE_LEARNING_RATE = 1e-2;
    private static final int BATCH = 32;
    /**
     * Parameters of the mixed network that every stateful updater keeps state for: W and b of five layers, psi of
     * layer 1 (the stock layer 2 and the output layer keep psi as a weight row), lambda of layers 1 and 3 (the
     * constant o of layer 0 is never trained: Sgd with learning rate 0).
     */
    private static final int MIXED_PARAMETERS_WITH_STATE = 13;
    /** A singular value that is zero in float32 arithmetic. */
    private static final double ZERO_F32 = 1e-6;
    /** A scaffold that trained has left zero by far more than rounding. */
    private static final double AWAKE = 1e-3;
    /**
     * Adam's step is about lr once its moments are warm; a new entry with zero second moment would step up to about
     * 3.2 lr (dl4j-notes, Adam for new entries).
     */
    private static final double WARM_ADAM_STEP_FACTOR = 1.5;

    static Stream<IUpdater> updaters() {
        return Stream.of(new Sgd(SGD_LEARNING_RATE), new Nesterovs(SGD_LEARNING_RATE, MOMENTUM),
                new Adam(ADAPTIVE_LEARNING_RATE), new Nadam(ADAPTIVE_LEARNING_RATE),
                new AMSGrad(ADAPTIVE_LEARNING_RATE), new AdaMax(ADAPTIVE_LEARNING_RATE),
                new RmsProp(ADAPTIVE_LEARNING_RATE));
    }

    static Stream<IUpdater> statefulUpdaters() {
        return updaters().filter(updater -> !(updater instanceof Sgd));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("updaters")
    void readingAndWritingBackWithoutChangeReproducesParametersAndStateBitForBit(IUpdater updater) {
        MultiLayerNetwork net = SurgeryNetworks.trained(DataType.DOUBLE, updater, 3);

        StackCodec.Encoded encoded = StackCodec.encode(net, StackCodec.read(net));

        assertEquals(net.params(), encoded.parameters());
        if (updater instanceof Sgd) {
            assertEquals(0, net.getUpdater().getStateViewArray() == null ? 0
                    : net.getUpdater().getStateViewArray().length());
        } else {
            assertEquals(net.getUpdater().getStateViewArray(), encoded.updaterState());
        }
        assertEquals(net.getLayerWiseConfigurations(), encoded.configuration());
    }

    /**
     * The component order and kind of every parameter's state, checked against DL4J itself. One real DL4J step from
     * a fresh network fills the state view; DL4J's own {@code GradientUpdater}, applied standalone to the same
     * gradient, gives each named component ("M", "V", ...). Every component {@link UpdaterStateView} reads at
     * position c must equal one of DL4J's components, and {@link UpdaterStateKinds} must give it the kind DL4J's
     * update rule shows: LINEAR if it is odd and homogeneous of degree 1 in the gradient, MAGNITUDE if even of
     * degree 1, SQUARED if even of degree 2 (measured with g, -g, 2g and 0 on the standalone updater).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("statefulUpdaters")
    void stateComponentsAreReadInDl4jsOrderWithTheKindDl4jsUpdateRuleGivesThem(IUpdater updater) {
        MultiLayerNetwork net = SurgeryNetworks.mixed(DataType.DOUBLE, updater);
        INDArray x = SurgeryNetworks.inputs(DataType.DOUBLE, BATCH, 60);
        INDArray y = SurgeryNetworks.labels(DataType.DOUBLE, BATCH, 60);
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        net.gradient().gradientForVariable().forEach((key, g) ->
                // DL4J's updater divides the summed gradient by the minibatch size before the update rule
                gradients.put(key, Nd4j.toFlattened('f', g).reshape(1, g.length()).div(BATCH)));

        net.fit(x, y);

        UpdaterStateView view = UpdaterStateView.of(net);
        INDArray state = net.getUpdater().getStateViewArray();
        int checked = 0;
        for (Map.Entry<String, INDArray> entry : gradients.entrySet()) {
            String key = entry.getKey();
            IUpdater configured = updaterOf(net, key);
            INDArray g = entry.getValue();
            if (configured.stateSize(g.length()) == 0) {
                continue;   // the constant o: Sgd with learning rate 0, no state
            }
            // with a zero gradient entry every kind would fit; this batch gives none
            assertTrue(g.neq(0.0).castTo(DataType.LONG).sumNumber().longValue() == g.length(),
                    key + ": the check needs a gradient without zero entries");
            Map<String, INDArray> expected = standaloneStep(configured, g);
            Map<String, MomentKind> expectedKinds = new LinkedHashMap<>();
            Map<String, INDArray> zero = standaloneStep(configured, g.mul(0.0));
            Map<String, INDArray> negated = standaloneStep(configured, g.neg());
            Map<String, INDArray> doubled = standaloneStep(configured, g.mul(2.0));
            expected.forEach((name, value) -> expectedKinds.put(name, kindShownByDl4j(zero.get(name), value,
                    negated.get(name), doubled.get(name))));

            List<INDArray> components = view.read(state, key);
            List<MomentKind> kinds = view.kinds(key);
            assertEquals(expected.size(), components.size(), key + ": number of state components");
            assertEquals(expected.size(), kinds.size(), key + ": number of kinds");
            Set<String> matched = new HashSet<>();
            for (int c = 0; c < components.size(); c++) {
                INDArray component = components.get(c).reshape(1, g.length());
                List<String> names = new ArrayList<>();
                expected.forEach((name, value) -> {
                    if (maxAbsDifference(value, component) <= EXACT * maxAbs(value)) {
                        names.add(name);
                    }
                });
                int position = c;
                assertFalse(names.isEmpty(), () -> key + ": component " + position + " is none of DL4J's " + expected
                        .keySet());
                for (String name : names) {
                    assertEquals(expectedKinds.get(name), kinds.get(c), key + ": kind of component " + c + " ("
                            + name + ")");
                }
                matched.addAll(names);
            }
            assertEquals(expected.keySet(), matched, key + ": every DL4J component must be read");
            checked++;
        }
        assertEquals(MIXED_PARAMETERS_WITH_STATE, checked, "parameters checked");
    }

    /** DL4J's state after one standalone step of a fresh updater (DL4J's own initialization) on a gradient. */
    private static Map<String, INDArray> standaloneStep(IUpdater updater, INDArray gradient) {
        long length = gradient.length();
        GradientUpdater<?> standalone = updater.clone().instantiate(
                Nd4j.zeros(DataType.DOUBLE, 1, updater.stateSize(length)), true);
        standalone.applyUpdater(gradient.dup(), 0, 0);
        Map<String, INDArray> state = new LinkedHashMap<>();
        standalone.getState().forEach((name, value) -> state.put(name, value.reshape(1, length).dup()));
        return state;
    }

    /**
     * The transformation kind a component's response to g, -g and 2g shows, each minus the response to a zero
     * gradient (RmsProp's state starts at epsilon, not 0).
     */
    private static MomentKind kindShownByDl4j(INDArray atZero, INDArray atG, INDArray atMinusG, INDArray atTwiceG) {
        // rounding is relative to the stored values, which include the starting value
        double scale = Math.max(Math.max(maxAbs(atZero), maxAbs(atG)), Math.max(maxAbs(atMinusG), maxAbs(atTwiceG)));
        INDArray plus = atG.sub(atZero);
        INDArray minus = atMinusG.sub(atZero);
        INDArray twice = atTwiceG.sub(atZero);
        boolean odd = maxAbsDifference(minus, plus.neg()) <= EXACT * scale;
        boolean even = maxAbsDifference(minus, plus) <= EXACT * scale;
        boolean degreeOne = maxAbsDifference(twice, plus.mul(2.0)) <= EXACT * scale;
        boolean degreeTwo = maxAbsDifference(twice, plus.mul(4.0)) <= EXACT * scale;
        if (odd && degreeOne) {
            return MomentKind.LINEAR;
        }
        if (even && degreeOne) {
            return MomentKind.MAGNITUDE;
        }
        assertTrue(even && degreeTwo, () -> "a state component that is neither linear, a magnitude nor squared: odd "
                + odd + ", even " + even + ", degree 1 " + degreeOne + ", degree 2 " + degreeTwo + ", g -> " + plus
                + ", -g -> " + minus + ", 2g -> " + twice);
        return MomentKind.SQUARED;
    }

    private static IUpdater updaterOf(MultiLayerNetwork net, String key) {
        int separator = key.indexOf('_');
        int layer = Integer.parseInt(key.substring(0, separator));
        return net.getLayer(layer).conf().getLayer().getUpdaterByParam(key.substring(separator + 1));
    }

    static Stream<Arguments> updatersAndHiddenLayers() {
        return updaters().flatMap(updater -> Stream.of(1, 2).map(layer -> Arguments.of(updater, layer)));
    }

    /**
     * For a signed permutation every carried state (first, second and magnitude moments alike) is exact, and every
     * updater's step is elementwise, so one DL4J step on the permuted network must equal the permuted stepped
     * network: parameters and the whole state view, for every updater.
     */
    @ParameterizedTest(name = "{0}, layer {1}")
    @MethodSource("updatersAndHiddenLayers")
    void permuteThenStepEqualsStepThenPermuteForParametersAndAllState(IUpdater updater, int layer) {
        MultiLayerNetwork permuteFirst = SurgeryNetworks.trained(DataType.DOUBLE, updater, 3);
        MultiLayerNetwork stepFirst = permuteFirst.clone();
        INDArray p = signedPermutation(11 + layer, (int) permuteFirst.getLayer(layer).getParam("b").length());

        stepThenTransform(permuteFirst, stepFirst, layer, p);

        assertTrue(maxAbsDifference(permuteFirst.params(), stepFirst.params()) <= EXACT, "parameters");
        if (!(updater instanceof Sgd)) {
            assertTrue(maxAbsDifference(permuteFirst.getUpdater().getStateViewArray(),
                    stepFirst.getUpdater().getStateViewArray()) <= EXACT, "updater state");
        }
    }

    /**
     * For a general rotation: SGD and momentum training is exactly equivariant (parameters and velocity); with the
     * adaptive updaters the first moment m is still exactly equivariant for one step (m' = beta1 m + (1 - beta1) g
     * and the gradient rotates with the network), while the parameters are not (second moments are basis-bound).
     */
    @ParameterizedTest(name = "{0}, layer {1}")
    @MethodSource("updatersAndHiddenLayers")
    void rotateThenStepEqualsStepThenRotateForFirstMoments(IUpdater updater, int layer) {
        MultiLayerNetwork rotateFirst = SurgeryNetworks.trained(DataType.DOUBLE, updater, 3);
        MultiLayerNetwork stepFirst = rotateFirst.clone();
        INDArray r = randomOrthogonal(3 + layer, (int) rotateFirst.getLayer(layer).getParam("b").length(),
                DataType.DOUBLE);

        stepThenTransform(rotateFirst, stepFirst, layer, r);

        if (updater instanceof Sgd || updater instanceof Nesterovs) {
            assertTrue(maxAbsDifference(rotateFirst.params(), stepFirst.params()) <= EXACT, "parameters");
        }
        UpdaterStateView rotatedView = UpdaterStateView.of(rotateFirst);
        UpdaterStateView steppedView = UpdaterStateView.of(stepFirst);
        int firstMoments = 0;
        for (String key : rotateFirst.paramTable().keySet()) {
            if (updaterOf(rotateFirst, key).stateSize(1) == 0) {
                continue;
            }
            // component 0 is the first moment for every stateful updater but RmsProp (checked against DL4J above)
            if (rotatedView.kinds(key).get(0) != MomentKind.LINEAR) {
                assertTrue(updater instanceof RmsProp, key + ": only RmsProp keeps no first moment");
                continue;
            }
            INDArray rotated = rotatedView.read(rotateFirst.getUpdater().getStateViewArray(), key).get(0);
            INDArray stepped = steppedView.read(stepFirst.getUpdater().getStateViewArray(), key).get(0);
            assertTrue(maxAbsDifference(rotated, stepped) <= EXACT, key + ": first moment");
            firstMoments++;
        }
        int expected = updater instanceof Sgd || updater instanceof RmsProp ? 0 : MIXED_PARAMETERS_WITH_STATE;
        assertEquals(expected, firstMoments, "first moments compared");
    }

    /** One DL4J step on identical data: {@code transformFirst} is transformed then stepped, {@code stepFirst} the
     * other way round. */
    private static void stepThenTransform(MultiLayerNetwork transformFirst, MultiLayerNetwork stepFirst, int layer,
            INDArray r) {
        INDArray x = SurgeryNetworks.inputs(DataType.DOUBLE, BATCH, 50);
        INDArray y = SurgeryNetworks.labels(DataType.DOUBLE, BATCH, 50);
        new NetworkSurgeon(transformFirst).rotate(layer, r);
        transformFirst.fit(x, y);
        stepFirst.fit(x, y);
        new NetworkSurgeon(stepFirst).rotate(layer, r);
    }

    /** A random permutation matrix with random signs: orthogonal, and exact in floating point. */
    private static INDArray signedPermutation(long seed, int n) {
        Random random = new Random(seed);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        INDArray p = Nd4j.zeros(DataType.DOUBLE, n, n);
        for (int i = 0; i < n; i++) {
            // at least one sign flip, so that a first moment carried like a second one (signs lost) shows
            p.putScalar(i, order.get(i), i == 0 || random.nextBoolean() ? -1.0 : 1.0);
        }
        return p;
    }

    /**
     * Second moments under a general rotation follow a diagonal approximation (method notes section 7) that DL4J
     * cannot check; what any sound carrying must keep is measurable: they stay non-negative, and their total over
     * the network is unchanged (every squared rotation is doubly stochastic). Dropping the state, or rotating it
     * like a first moment, breaks one of the two.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("statefulUpdaters")
    void secondMomentsStayNonNegativeAndKeepTheirTotalUnderAGeneralRotation(IUpdater updater) {
        MultiLayerNetwork net = SurgeryNetworks.trained(DataType.DOUBLE, updater, 3);
        double[] before = squaredMomentTotalAndMinimum(net);

        new NetworkSurgeon(net).rotate(1, randomOrthogonal(4, 6, DataType.DOUBLE));

        double[] after = squaredMomentTotalAndMinimum(net);
        assertEquals(before[0], after[0], EXACT * Math.max(1.0, before[0]), "total of the second moments");
        assertTrue(after[1] >= 0.0, "smallest second moment " + after[1]);
    }

    /** Sum and minimum of every SQUARED or MAGNITUDE^2 component entry of the network (0 and +inf if none). */
    private static double[] squaredMomentTotalAndMinimum(MultiLayerNetwork net) {
        UpdaterStateView view = UpdaterStateView.of(net);
        INDArray state = net.getUpdater().getStateViewArray();
        double total = 0.0;
        double minimum = Double.POSITIVE_INFINITY;
        for (String key : net.paramTable().keySet()) {
            List<MomentKind> kinds = view.kinds(key);
            List<INDArray> components = view.read(state, key);
            for (int c = 0; c < kinds.size(); c++) {
                if (kinds.get(c) == MomentKind.LINEAR) {
                    continue;
                }
                INDArray squared = kinds.get(c) == MomentKind.MAGNITUDE ? components.get(c).mul(components.get(c))
                        : components.get(c);
                total += squared.sumNumber().doubleValue();
                minimum = Math.min(minimum, squared.minNumber().doubleValue());
            }
        }
        return new double[] {total, minimum};
    }

    @Test
    void iterationAndEpochCountsSurviveAResize() {
        MultiLayerNetwork net = SurgeryNetworks.trained(DataType.FLOAT, new Adam(ADAPTIVE_LEARNING_RATE), 4);
        net.setEpochCount(2);

        new NetworkSurgeon(net).grow(1, 3, 1L);

        assertEquals(4, net.getIterationCount());
        assertEquals(2, net.getEpochCount());
    }

    @Test
    void newNeuronsWakeUpWhenTrainingContinuesAfterGrowth() {
        MultiLayerNetwork net = SurgeryNetworks.trained(DataType.FLOAT, new Adam(ADAPTIVE_LEARNING_RATE), 20);
        NetworkSurgeon surgeon = new NetworkSurgeon(net);
        surgeon.grow(1, 1, 1L);   // width 7 = fan-in 7: no rank-surplus neuron, so every singular value can grow
        assertEquals(0.0, surgeon.spectra().get(1).values()[6], ZERO_F32, "the scaffold starts at singular value 0");

        for (int i = 0; i < 30; i++) {
            net.fit(SurgeryNetworks.inputs(DataType.FLOAT, 32, 100 + i), SurgeryNetworks.labels(DataType.FLOAT, 32,
                    100 + i));
        }

        SingularSpectrum spectrum = surgeon.spectra().get(1);
        double smallest = spectrum.values()[spectrum.values().length - 1];
        assertTrue(smallest > AWAKE, "every neuron, scaffolds included, must have left zero: " + spectrum);
    }

    @Test
    void adamStepsOnNewNeuronsStayNearTheLearningRate() {
        double lr = ADAPTIVE_LEARNING_RATE;
        MultiLayerNetwork net = SurgeryNetworks.trained(DataType.DOUBLE, new Adam(lr), 50);
        // late in training Adam's bias correction is ~1, so a zero second moment would give steps of ~3.2 lr
        net.setIterationCount(10_000);
        new NetworkSurgeon(net).grow(1, 3, 1L);
        INDArray before = newColumns(net);

        double largest = 0;
        for (int i = 0; i < 3; i++) {
            net.fit(SurgeryNetworks.inputs(DataType.DOUBLE, 32, 200 + i),
                    SurgeryNetworks.labels(DataType.DOUBLE, 32, 200 + i));
            INDArray now = newColumns(net);
            largest = Math.max(largest, now.sub(before).amaxNumber().doubleValue());
            before = now;
        }

        assertTrue(largest > 0, "the new neurons must train");
        double observed = largest;
        assertTrue(largest <= WARM_ADAM_STEP_FACTOR * lr,
                () -> "largest step on a new weight " + observed + " vs learning rate " + lr);
    }

    private static INDArray newColumns(MultiLayerNetwork net) {
        INDArray w = net.getLayer(1).getParam("W");
        return w.get(NDArrayIndex.all(), NDArrayIndex.interval(w.columns() - 3, w.columns())).dup();
    }

    @Test
    void aResizedNetworkRoundTripsThroughModelSerializer() throws IOException {
        MultiLayerNetwork net = SurgeryNetworks.trained(DataType.FLOAT, new Adam(ADAPTIVE_LEARNING_RATE), 4);
        NetworkSurgeon surgeon = new NetworkSurgeon(net);
        surgeon.grow(0, 2, 1L);
        surgeon.shrink(3, 2);
        File file = dir.resolve("resized.zip").toFile();

        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);

        assertEquals(net.params(), restored.params());
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        INDArray x = SurgeryNetworks.inputs(DataType.FLOAT, 8, 7);
        assertEquals(net.output(x), restored.output(x));
    }
}
