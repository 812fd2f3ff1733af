package org.dl4jisotropic.layers.surgery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.listeners.CollectScoresIterationListener;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The in-place rebuild: bad input is rejected before any field is written; what it keeps on purpose is kept. */
class NetworkRebuilderTest {

    /** Everything a rebuild could damage. */
    private record Snapshot(String configuration, String conf, INDArray parameters, INDArray state, INDArray output) {
        static Snapshot of(MultiLayerNetwork net) {
            return new Snapshot(net.getLayerWiseConfigurations().toJson(), net.conf().toJson(), net.params().dup(),
                    net.getUpdater().getStateViewArray().dup(),
                    net.output(SurgeryNetworks.inputs(DataType.FLOAT, 8, 3)));
        }
    }

    private static MultiLayerNetwork network() {
        return SurgeryNetworks.trained(DataType.FLOAT, new Adam(1e-2), 1);
    }

    private static void assertUnchangedAndTrainable(Snapshot before, MultiLayerNetwork net) {
        assertEquals(before, Snapshot.of(net));
        net.fit(SurgeryNetworks.inputs(DataType.FLOAT, 16, 1), SurgeryNetworks.labels(DataType.FLOAT, 16, 1));
    }

    @Test
    void parametersOfAnotherLengthAreRejectedBeforeAnythingChanges() {
        MultiLayerNetwork net = network();
        Snapshot before = Snapshot.of(net);
        long n = net.numParams();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkRebuilder.rebuild(net,
                net.getLayerWiseConfigurations().clone(), Nd4j.zeros(DataType.FLOAT, 1, n - 1), null));

        assertTrue(e.getMessage().contains("length " + n + ", found " + (n - 1)), e.getMessage());
        assertUnchangedAndTrainable(before, net);
    }

    @Test
    void aConfigurationWithAnotherNumberOfLayersIsRejectedBeforeAnythingChanges() {
        MultiLayerNetwork net = network();
        Snapshot before = Snapshot.of(net);
        MultiLayerConfiguration twoLayers = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(new IsotropicDenseLayer.Builder().nOut(4).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(SurgeryNetworks.CLASSES).build())
                .setInputType(InputType.feedForward(SurgeryNetworks.INPUTS)).build();
        MultiLayerNetwork other = new MultiLayerNetwork(twoLayers);
        other.init();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkRebuilder.rebuild(net, twoLayers, other.params(), null));

        assertTrue(e.getMessage().contains("number of layers"), e.getMessage());
        assertUnchangedAndTrainable(before, net);
    }

    @Test
    void aResizeKeepsTheListenersAndTheLastScore() {
        MultiLayerNetwork net = network();
        TrainingListener listener = new CollectScoresIterationListener();
        net.addListeners(listener);
        double score = net.score();

        new NetworkSurgeon(net).grow(0, 2, 3L);

        assertEquals(List.of(listener), List.copyOf(net.getListeners()));
        assertSame(listener, net.getLayer(0).getListeners().iterator().next(), "the new layers report to it too");
        assertEquals(score, net.score(), 0.0, "listeners after a resizing one read the last score");
    }
}
