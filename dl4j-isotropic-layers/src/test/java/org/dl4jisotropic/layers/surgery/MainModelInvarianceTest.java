package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.surgery.SurgeryReport;
import org.dl4jisotropic.core.testing.Tolerances;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Surgery on the README's main model at its real size, 784-256-256-10, in float64: the sizes at which the faulty
 * LAPACK of some AVX-512 CPUs gives wrong decompositions (a 12-neuron network never reaches them). Every
 * function-preserving operation must leave the outputs unchanged to method.md's 1e-12.
 */
class MainModelInvarianceTest {

    /** Max change of any softmax output after a function-preserving operation, float64 (method.md section 10). */
    private static final double EXACT = Tolerances.SURGERY_F64;
    private static final long SEED = 2602L;
    private static final int INPUTS = 784;
    private static final int CLASSES = 10;

    private static MultiLayerNetwork trained;

    @BeforeAll
    static void trainTheMainModelBriefly() {
        trained = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE)
                .updater(new Adam(1e-3)).list()
                .layer(new IsotropicDenseLayer.Builder().nOut(256).build())
                .layer(new IsotropicDenseLayer.Builder().nOut(256).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(CLASSES).build())
                .setInputType(InputType.feedForward(INPUTS)).build());
        trained.init();
        for (int step = 0; step < 3; step++) {
            trained.fit(gaussian(SEED + step, DataType.DOUBLE, 64, INPUTS),
                    TestData.oneHot(SEED + 100 + step, DataType.DOUBLE, 64, CLASSES));
        }
    }

    private static MultiLayerNetwork copy() {
        return trained.clone();
    }

    private static INDArray probe() {
        return gaussian(SEED + 7, DataType.DOUBLE, 128, INPUTS);
    }

    private static void assertOutputsUnchanged(INDArray before, MultiLayerNetwork net, String operation) {
        double change = maxAbsDifference(before, net.output(probe()));
        assertTrue(change <= EXACT, () -> operation + ": max output change " + change);
    }

    @Test
    void leftDiagonalizationOfBothLayersKeepsTheOutputs() {
        MultiLayerNetwork net = copy();
        INDArray before = net.output(probe());

        new NetworkSurgeon(net).diagonalizeAllLeft();

        assertOutputsUnchanged(before, net, "diagonalizeAllLeft");
    }

    @Test
    void growingBothLayersKeepsTheOutputs() {
        MultiLayerNetwork net = copy();
        INDArray before = net.output(probe());
        NetworkSurgeon surgeon = new NetworkSurgeon(net);

        surgeon.grow(1, 16, 3L);
        surgeon.grow(0, 16, 4L);

        assertEquals(List.of(272L, 272L), NetworkSurgeon.hiddenWidths(net));
        assertOutputsUnchanged(before, net, "grow");
    }

    @Test
    void removingConstantNeuronsFromBothLayersKeepsTheOutputs() {
        MultiLayerNetwork net = copy();
        for (int layer = 0; layer < 2; layer++) {
            for (int neuron : new int[] {5, 100, 200}) {
                SurgeryNetworks.makeConstant(net, layer, neuron);
            }
        }
        INDArray before = net.output(probe());
        NetworkSurgeon surgeon = new NetworkSurgeon(net);

        SurgeryReport second = surgeon.shrink(1, 3);
        SurgeryReport first = surgeon.shrink(0, 3);

        assertEquals(List.of(253L, 253L), NetworkSurgeon.hiddenWidths(net));
        for (SurgeryReport report : List.of(first, second)) {
            for (double removed : report.removedSingularValues()) {
                assertTrue(removed <= EXACT, () -> "a constant neuron has singular value 0, found " + removed);
            }
        }
        assertOutputsUnchanged(before, net, "shrink of constant neurons");
    }

    @Test
    void alternatingFullDiagonalizationKeepsTheOutputsAndLeavesOneWeightPerLink() {
        MultiLayerNetwork net = copy();
        INDArray before = net.output(probe());

        new NetworkSurgeon(net).diagonalizeAlternating();

        assertOutputsUnchanged(before, net, "diagonalizeAlternating");
        INDArray w = net.getLayer(1).getParam("W");
        long nonZeros = w.neq(0.0).castTo(DataType.INT64).sumNumber().longValue();
        assertEquals(256L, nonZeros, "a 256 x 256 diagonal layer keeps exactly 256 non-zeros");
    }

}
