package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.dl4jisotropic.core.testing.TestArrays.randomOrthogonal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jisotropic.core.surgery.IsotropicStack;
import org.dl4jisotropic.core.surgery.SingularSpectrum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/** Parameters and optimiser state through surgery, for every supported updater. */
class NetworkSurgeonStateTest {

    @TempDir
    Path dir;

    static Stream<IUpdater> updaters() {
        return Stream.of(new Sgd(0.05), new Nesterovs(0.05, 0.9), new Adam(1e-2), new Nadam(1e-2),
                new AMSGrad(1e-2), new AdaMax(1e-2), new RmsProp(1e-2));
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

    @Test
    void sgdStepThenRotateEqualsRotateThenStep() {
        assertStepCommutesWithRotation(new Sgd(0.05));
    }

    @Test
    void momentumStepThenRotateEqualsRotateThenStep() {
        assertStepCommutesWithRotation(new Nesterovs(0.05, 0.9));
    }

    private static void assertStepCommutesWithRotation(IUpdater updater) {
        MultiLayerNetwork rotateFirst = SurgeryNetworks.trained(DataType.DOUBLE, updater, 3);
        MultiLayerNetwork stepFirst = rotateFirst.clone();
        INDArray r = randomOrthogonal(3, 6, DataType.DOUBLE);
        INDArray x = SurgeryNetworks.inputs(DataType.DOUBLE, 32, 50);
        INDArray y = SurgeryNetworks.labels(DataType.DOUBLE, 32, 50);

        new NetworkSurgeon(rotateFirst).rotate(1, r);
        rotateFirst.fit(x, y);
        stepFirst.fit(x, y);
        new NetworkSurgeon(stepFirst).rotate(1, r);

        assertTrue(maxAbsDifference(rotateFirst.params(), stepFirst.params()) <= 1e-12, "parameters");
        if (!(updater instanceof Sgd)) {
            assertTrue(maxAbsDifference(rotateFirst.getUpdater().getStateViewArray(),
                    stepFirst.getUpdater().getStateViewArray()) <= 1e-12, "updater state");
        }
    }

    @Test
    void adamFirstMomentsRotateExactlyAndSecondMomentsByTheSquaredRotation() {
        MultiLayerNetwork net = SurgeryNetworks.trained(DataType.DOUBLE, new Adam(1e-2), 3);
        IsotropicStack before = StackCodec.read(net);
        INDArray r = randomOrthogonal(4, 6, DataType.DOUBLE);

        new NetworkSurgeon(net).rotate(1, r);

        IsotropicStack after = StackCodec.read(net);
        INDArray m = before.layer(1).weights().moments().get(0);
        INDArray v = before.layer(1).weights().moments().get(1);
        assertTrue(maxAbsDifference(m.mmul(r), after.layer(1).weights().moments().get(0)) <= 1e-15);
        assertTrue(maxAbsDifference(v.mmul(r.mul(r)), after.layer(1).weights().moments().get(1)) <= 1e-15);
        INDArray nextM = before.layer(2).weights().moments().get(0);
        assertTrue(maxAbsDifference(r.transpose().mmul(nextM), after.layer(2).weights().moments().get(0)) <= 1e-15);
    }

    @Test
    void iterationAndEpochCountsSurviveAResize() {
        MultiLayerNetwork net = SurgeryNetworks.trained(DataType.FLOAT, new Adam(1e-2), 4);
        net.setEpochCount(2);

        new NetworkSurgeon(net).grow(1, 3, 1L);

        assertEquals(4, net.getIterationCount());
        assertEquals(2, net.getEpochCount());
    }

    @Test
    void newNeuronsWakeUpWhenTrainingContinuesAfterGrowth() {
        MultiLayerNetwork net = SurgeryNetworks.trained(DataType.FLOAT, new Adam(1e-2), 20);
        NetworkSurgeon surgeon = new NetworkSurgeon(net);
        surgeon.grow(1, 1, 1L);   // width 7 = fan-in 7: no rank-surplus neuron, so every singular value can grow
        assertEquals(0.0, surgeon.spectra().get(1).values()[6], 1e-6, "the scaffold starts at singular value 0");

        for (int i = 0; i < 30; i++) {
            net.fit(SurgeryNetworks.inputs(DataType.FLOAT, 32, 100 + i), SurgeryNetworks.labels(DataType.FLOAT, 32,
                    100 + i));
        }

        SingularSpectrum spectrum = surgeon.spectra().get(1);
        double smallest = spectrum.values()[spectrum.values().length - 1];
        assertTrue(smallest > 1e-3, "every neuron, scaffolds included, must have left zero: " + spectrum);
    }

    @Test
    void adamStepsOnNewNeuronsStayNearTheLearningRate() {
        double lr = 1e-2;
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
        assertTrue(largest <= 1.5 * lr, () -> "largest step on a new weight " + observed + " vs learning rate " + lr);
    }

    private static INDArray newColumns(MultiLayerNetwork net) {
        INDArray w = net.getLayer(1).getParam("W");
        return w.get(NDArrayIndex.all(), NDArrayIndex.interval(w.columns() - 3, w.columns())).dup();
    }

    @Test
    void aResizedNetworkRoundTripsThroughModelSerializer() throws IOException {
        MultiLayerNetwork net = SurgeryNetworks.trained(DataType.FLOAT, new Adam(1e-2), 4);
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
