package org.dl4jisotropic.examples.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.examples.data.FashionMnist;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** An isotropic MLP learns Fashion-MNIST: a few hundred Adam iterations on real data, in float32 and float64. */
class FashionMnistTrainingTest {

    private static final long SEED = 2026L;
    private static final int TRAIN_EXAMPLES = 12_800;
    private static final int BATCH = 64;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void isotropicMlpLossFallsClearlyAndTestAccuracyIsFarAboveChance(DataType type) throws IOException {
        FashionMnist data = new FashionMnist(FashionMnist.DEBIAN_DIRECTORY);
        DataSet train = data.load(FashionMnist.Split.TRAIN, TRAIN_EXAMPLES, type);
        DataSet test = data.load(FashionMnist.Split.TEST, 2_000, type);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED).dataType(type)
                .updater(new Adam(1e-3)).list()
                .layer(new IsotropicDenseLayer.Builder().nOut(64).psiL2(0.1).build())
                .layer(new IsotropicDenseLayer.Builder().nOut(64).psiL2(0.1).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(FashionMnist.CLASSES).build())
                .setInputType(InputType.feedForward(784)).build());
        net.init();
        double initialLoss = net.score(train);

        net.fit(new ViewIterator(train, BATCH), 2);   // 400 iterations

        double finalLoss = net.score(train);
        Evaluation evaluation = net.evaluate(new ViewIterator(test, 500));
        assertTrue(finalLoss < 0.4 * initialLoss,
                () -> type + ": training loss should fall clearly, from " + initialLoss + " to " + finalLoss);
        assertTrue(evaluation.accuracy() > 0.75,
                () -> type + ": test accuracy " + evaluation.accuracy() + " on 2,000 test images");
    }
}
