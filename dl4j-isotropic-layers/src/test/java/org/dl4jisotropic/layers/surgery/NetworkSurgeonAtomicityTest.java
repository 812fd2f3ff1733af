package org.dl4jisotropic.layers.surgery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;

/** A failure at any stage leaves configuration, parameters and updater state bit-identical; bad calls fail early. */
class NetworkSurgeonAtomicityTest {

    /** Everything a user could observe of a network. */
    private record Snapshot(String configuration, INDArray parameters, INDArray state, INDArray output) {
        static Snapshot of(MultiLayerNetwork net) {
            return new Snapshot(net.getLayerWiseConfigurations().toJson(), net.params().dup(),
                    net.getUpdater().getStateViewArray().dup(), net.output(SurgeryNetworks.inputs(DataType.FLOAT, 8,
                            3)));
        }
    }

    private static MultiLayerNetwork network() {
        return SurgeryNetworks.trained(DataType.FLOAT, new Adam(1e-2), 3);
    }

    private static void assertUnchanged(Snapshot before, MultiLayerNetwork net) {
        Snapshot after = Snapshot.of(net);
        assertEquals(before.configuration(), after.configuration());
        assertEquals(before.parameters(), after.parameters());
        assertEquals(before.state(), after.state());
        assertEquals(before.output(), after.output());
    }

    @ParameterizedTest(name = "{0} failing at stage {1}")
    @CsvSource({"grow, encoded", "grow, parameters", "grow, installed", "shrink, parameters",
            "diagonalize, parameters", "diagonalize, installed"})
    void aFailureAtAnyStageLeavesTheNetworkBitIdentical(String operation, String failingStage) {
        MultiLayerNetwork net = network();
        Snapshot before = Snapshot.of(net);
        Consumer<String> fault = stage -> {
            if (stage.equals(failingStage)) {
                throw new IllegalStateException("injected failure at " + stage);
            }
        };
        NetworkSurgeon surgeon = new NetworkSurgeon(net).withCheckpoint(fault);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            switch (operation) {
                case "grow":
                    surgeon.grow(1, 2, 1L);
                    break;
                case "shrink":
                    surgeon.shrink(1, 2);
                    break;
                default:
                    surgeon.diagonalizeAllLeft();
                    break;
            }
        });

        assertTrue(e.getMessage().contains("injected"), e.getMessage());
        assertUnchanged(before, net);
        net.fit(SurgeryNetworks.inputs(DataType.FLOAT, 16, 1), SurgeryNetworks.labels(DataType.FLOAT, 16, 1));
    }

    @Test
    void aLayerIndexOutOfRangeIsRejectedBeforeAnythingChanges() {
        MultiLayerNetwork net = network();
        Snapshot before = Snapshot.of(net);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NetworkSurgeon(net).grow(4, 1, 1L));
        assertTrue(e.getMessage().contains("must be in [0, 3], found 4"), e.getMessage());
        assertUnchanged(before, net);
    }

    @Test
    void removingAsManyNeuronsAsTheLayerHasIsRejected() {
        MultiLayerNetwork net = network();
        Snapshot before = Snapshot.of(net);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NetworkSurgeon(net).shrink(1, 6));
        assertTrue(e.getMessage().contains("must be in [1, 5] (width 6), found 6"), e.getMessage());
        assertUnchanged(before, net);
    }

    @Test
    void shrinkingALayerWithoutAScaleColumnIsRejectedNamingTheRemedy() {
        MultiLayerNetwork net = network();
        Snapshot before = Snapshot.of(net);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NetworkSurgeon(net).shrink(2, 1));
        assertTrue(e.getMessage().contains("use IsotropicDenseLayer"), e.getMessage());
        assertUnchanged(before, net);
    }

    @Test
    void aNonIsotropicHiddenLayerIsRejectedWhenTheSurgeonIsCreated() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(3)).build());
        net.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NetworkSurgeon(net));
        assertTrue(e.getMessage().contains("layer 0") && e.getMessage().contains("must be an isotropic hidden layer"),
                e.getMessage());
    }

    @Test
    void anUpdaterWhoseStateCannotBeCarriedIsRejectedWhenTheSurgeonIsCreated() {
        MultiLayerNetwork net = SurgeryNetworks.trained(DataType.FLOAT, new AdaGrad(1e-2), 1);
        UnsupportedUpdaterException e = assertThrows(UnsupportedUpdaterException.class,
                () -> new NetworkSurgeon(net));
        assertTrue(e.getMessage().contains("found AdaGrad") && e.getMessage().contains("Adam"), e.getMessage());
    }

    @Test
    void aNonOrthogonalRotationIsRejected() {
        MultiLayerNetwork net = network();
        INDArray notOrthogonal = Nd4j.eye(6).muli(1.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NetworkSurgeon(net).rotate(1, notOrthogonal));
        assertTrue(e.getMessage().contains("is not orthogonal"), e.getMessage());
    }
}
