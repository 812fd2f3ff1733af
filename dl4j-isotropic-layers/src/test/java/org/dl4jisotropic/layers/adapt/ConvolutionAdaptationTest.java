package org.dl4jisotropic.layers.adapt;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.testing.Tolerances;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.conf.IsotropicActivationLayer;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The listener adapts the channel counts of a CNN inside {@code fit}, exactly as it adapts dense widths: conv 3x3
 * (12 channels, too many for the task) -> average pool -> conv 3x3 (10) -> flatten -> 2 classes, both convolutions
 * followed by an {@code IsotropicActivationLayer}, on a synthetic task whose label is which of two fixed patterns an
 * image carries.
 */
class ConvolutionAdaptationTest {

    private static final int ROWS = 128;

    @Test
    void insideFitTheListenerMovesTheChannelCountsOfBothLayers() {
        MultiLayerNetwork net = network();
        DataSet data = patterns(ROWS, 1);
        List<AdaptationEvent> events = new ArrayList<>();
        net.addListeners(NeuroadaptationListener.builder(net).schedule(AdaptationSchedule.everyIterations(6))
                .threshold(0.95).scaffoldBuffer(2).eventSink(events::add).build());
        List<Long> before = NetworkSurgeon.hiddenWidths(net);

        net.fit(new ListDataSetIterator<>(data.asList(), 16), 3);   // 24 iterations, 4 rounds

        assertEquals(8, events.size(), "two layers per round, four rounds");
        List<Long> after = NetworkSurgeon.hiddenWidths(net);
        assertNotEquals(before.get(0), after.get(0), "the first layer's channel count must move");
        assertNotEquals(before.get(1), after.get(1), "the second layer's channel count must move");
        assertEquals(24, net.getIterationCount());
    }

    @Test
    void everyRoundOfTheSecondLayerIsMeasuredAndWithinItsBound() {
        MultiLayerNetwork net = network();
        DataSet data = patterns(ROWS, 1);
        List<AdaptationEvent> events = new ArrayList<>();
        // only the second layer adapts, so each round's measured change belongs to one event with a bound (its
        // input comes from a tanh layer, norm <= 1; the first layer reads raw pixels, with no a-priori bound)
        net.addListeners(NeuroadaptationListener.builder(net).layers(1).schedule(AdaptationSchedule.everyIterations(6))
                .threshold(0.95).scaffoldBuffer(2).probe(data.getFeatures().get(
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 32)).dup()).eventSink(events::add).build());

        net.fit(new ListDataSetIterator<>(data.asList(), 16), 3);

        assertEquals(4, events.size());
        for (AdaptationEvent event : events) {
            double measured = event.report().maxOutputChange().orElseThrow();
            double bound = event.report().errorBound().orElseThrow();
            assertTrue(measured <= bound + Tolerances.FLOAT32_RELATIVE, "measured " + measured + " above bound " + bound);
        }
    }

    @Test
    void theAdaptedNetworkStillSolvesTheTask() {
        MultiLayerNetwork net = network();
        DataSet data = patterns(ROWS, 1);
        net.addListeners(NeuroadaptationListener.builder(net).schedule(AdaptationSchedule.everyIterations(6))
                .threshold(0.95).scaffoldBuffer(2).build());

        net.fit(new ListDataSetIterator<>(data.asList(), 16), 5);

        Evaluation evaluation = net.evaluate(new ListDataSetIterator<>(patterns(96, 2).asList(), 32));
        assertTrue(evaluation.accuracy() >= 0.9, "accuracy " + evaluation.accuracy());
    }

    private static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.FLOAT).updater(new Adam(1e-2)).list()
                .layer(conv(12)).layer(activation())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                .layer(conv(10)).layer(activation())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(2).build())
                .setInputType(InputType.convolutional(8, 8, 1)).build());
        net.init();
        return net;
    }

    /** Noise plus one of two fixed 8 x 8 patterns; the label says which. */
    private static DataSet patterns(int rows, long salt) {
        INDArray a = gaussian(61, DataType.FLOAT, 1, 1, 8, 8);
        INDArray b = gaussian(62, DataType.FLOAT, 1, 1, 8, 8);
        INDArray x = gaussian(70 + salt, DataType.FLOAT, rows, 1, 8, 8).muli(0.3);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, rows, 2);
        for (int i = 0; i < rows; i++) {
            int label = i % 2;
            x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).addi((label == 0 ? a : b).reshape(1, 8, 8));
            labels.putScalar(i, label, 1.0);
        }
        return new DataSet(x, labels);
    }

    private static ConvolutionLayer conv(int channels) {
        return new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(channels)
                .activation(Activation.IDENTITY).build();
    }

    private static IsotropicActivationLayer activation() {
        return new IsotropicActivationLayer.Builder().activation(new IsotropicTanh(0.01)).build();
    }
}
