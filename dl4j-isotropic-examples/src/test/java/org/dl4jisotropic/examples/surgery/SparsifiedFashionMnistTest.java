package org.dl4jisotropic.examples.surgery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.examples.data.FashionMnist;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.surgery.SparsificationReport;
import org.dl4jisotropic.layers.surgery.Sparsifier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A trained deep isotropic MLP made sparse gives the same predictions on real Fashion-MNIST test images. */
class SparsifiedFashionMnistTest {

    private static final int WIDTH = 64;
    private static final int HIDDEN = 5;

    @Test
    void sparsifiedNetworkPredictsExactlyLikeTheDenseOneWithTheFormulaParameterCount() throws IOException {
        FashionMnist data = new FashionMnist(FashionMnist.DEBIAN_DIRECTORY);
        DataSet train = data.load(FashionMnist.Split.TRAIN, 6_400, DataType.DOUBLE);
        DataSet test = data.load(FashionMnist.Split.TEST, 2_000, DataType.DOUBLE);
        ListBuilder builder = new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.DOUBLE)
                .updater(new Adam(1e-3)).list();
        for (int i = 0; i < HIDDEN; i++) {
            builder.layer(new IsotropicDenseLayer.Builder().nOut(WIDTH).psiL2(0.1).build());
        }
        MultiLayerNetwork dense = new MultiLayerNetwork(builder.layer(new OutputLayer.Builder(
                LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(FashionMnist.CLASSES).build())
                .setInputType(InputType.feedForward(784)).build());
        dense.init();
        dense.fit(new ViewIterator(train, 64));

        Sparsifier.Result result = Sparsifier.sparsify(dense, test.getFeatures());

        SparsificationReport report = result.report();
        assertTrue(report.maxOutputChange() <= 1e-12, "max output change " + report.maxOutputChange());
        assertEquals(2L * (WIDTH * WIDTH - WIDTH), report.parametersBefore() - report.parametersAfter());
        INDArray densePredictions = dense.output(test.getFeatures()).argMax(1);
        INDArray sparsePredictions = result.network().output(test.getFeatures()).argMax(1);
        assertEquals(densePredictions, sparsePredictions);
        assertEquals(dense.evaluate(new ViewIterator(test, 500)).accuracy(),
                result.network().evaluate(new ViewIterator(test, 500)).accuracy(), 0.0);
    }
}
