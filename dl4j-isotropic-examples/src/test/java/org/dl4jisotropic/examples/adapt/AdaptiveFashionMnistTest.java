package org.dl4jisotropic.examples.adapt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.examples.data.FashionMnist;
import org.dl4jisotropic.layers.adapt.AdaptationEvent;
import org.dl4jisotropic.layers.adapt.NeuroadaptationListener;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The adaptation listener in a real fit() on Fashion-MNIST. */
class AdaptiveFashionMnistTest {

    private static final long SEED = 7L;
    private static final int EPOCHS = 6;

    private static MultiLayerNetwork mlp(int first, int second) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED)
                .updater(new Adam(1e-3)).list()
                .layer(new IsotropicDenseLayer.Builder().nOut(first).psiL2(0.1).build())
                .layer(new IsotropicDenseLayer.Builder().nOut(second).psiL2(0.1).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(FashionMnist.CLASSES).build())
                .setInputType(InputType.feedForward(784)).build());
        net.init();
        return net;
    }

    @Test
    void widthsChangeTrainingKeepsImprovingAndAccuracyMatchesAStaticNetworkOfTheFinalWidth() throws IOException {
        FashionMnist data = new FashionMnist(FashionMnist.DEBIAN_DIRECTORY);
        DataSet train = data.load(FashionMnist.Split.TRAIN, 12_800, DataType.FLOAT);
        DataSet test = data.load(FashionMnist.Split.TEST, 5_000, DataType.FLOAT);

        MultiLayerNetwork adaptive = mlp(32, 32);
        List<AdaptationEvent> events = new ArrayList<>();
        adaptive.addListeners(NeuroadaptationListener.builder(adaptive).threshold(0.95).scaffoldBuffer(5)
                .widthRange(8, 128).seed(SEED).eventSink(events::add).build());
        List<Double> losses = new ArrayList<>();
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            adaptive.fit(new ViewIterator(train, 64));
            losses.add(adaptive.score(train));
        }
        int first = (int) adaptive.getLayer(0).getParam("b").length();
        int second = (int) adaptive.getLayer(1).getParam("b").length();

        MultiLayerNetwork fixed = mlp(first, second);
        fixed.fit(new ViewIterator(train, 64), EPOCHS);

        assertTrue(events.stream().anyMatch(e -> e.report().widthAfter() != e.report().widthBefore()),
                "widths must change: " + events);
        for (int i = 1; i < losses.size(); i++) {
            assertTrue(losses.get(i) < losses.get(i - 1), "loss after each adaptation round must keep falling: "
                    + losses);
        }
        double adaptiveAccuracy = adaptive.evaluate(new ViewIterator(test, 1000)).accuracy();
        double fixedAccuracy = fixed.evaluate(new ViewIterator(test, 1000)).accuracy();
        assertTrue(Math.abs(adaptiveAccuracy - fixedAccuracy) <= 0.01, "adaptive " + adaptiveAccuracy + " (widths "
                + first + ", " + second + ") vs static " + fixedAccuracy);
    }
}
