package org.dl4jisotropic.layers.conf;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.dl4jisotropic.core.activation.IsotropicProfile;
import org.dl4jisotropic.layers.activation.IsotropicLog1p;
import org.dl4jisotropic.layers.testing.TestData;
import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** JSON and ModelSerializer round trips keep configuration, parameters, updater state and counters. */
class IsotropicSerializationTest {

    private static final long SEED = 4L;

    @TempDir
    Path dir;

    private static MultiLayerConfiguration configuration() {
        return new NeuralNetConfiguration.Builder().seed(SEED).updater(new Adam(1e-2)).list()
                .layer(new IsotropicDenseLayer.Builder().nOut(6).profile(IsotropicProfile.LOG1P)
                        .intrinsicLength(IntrinsicLength.constant(0.25)).build())
                .layer(new IsotropicDenseLayer.Builder().nOut(5).psiL2(0.1).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.feedForward(4)).build();
    }

    @Test
    void jsonRoundTripKeepsEveryIsotropicDenseLayerField() {
        MultiLayerConfiguration conf = configuration();

        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(conf.toJson());

        assertEquals(conf, restored);
        IsotropicDenseLayer first = (IsotropicDenseLayer) restored.getConf(0).getLayer();
        IsotropicDenseLayer second = (IsotropicDenseLayer) restored.getConf(1).getLayer();
        assertEquals(IsotropicProfile.LOG1P, first.profile());
        assertEquals(IntrinsicLength.constant(0.25), first.intrinsicLength());
        assertEquals(IntrinsicLength.trainable(1e-6), second.intrinsicLength());
        assertEquals(0.1, second.psiL2(), Tolerances.IDENTICAL);
        assertTrue(second.inputCarriesScale());
    }

    @Test
    void yamlRoundTripKeepsTheConfiguration() {
        MultiLayerConfiguration conf = configuration();
        assertEquals(conf, MultiLayerConfiguration.fromYaml(conf.toYaml()));
    }

    @Test
    void modelSerializerRoundTripKeepsOutputsParametersUpdaterStateAndCounters() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration());
        net.init();
        INDArray x = gaussian(SEED, DataType.FLOAT, 16, 4);
        INDArray y = TestData.oneHot(SEED, DataType.FLOAT, 16, 3);
        for (int i = 0; i < 3; i++) {
            net.fit(x, y);
        }
        File file = dir.resolve("model.zip").toFile();

        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);

        assertEquals(net.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(net.params(), restored.params());
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(3, restored.getIterationCount());
        assertEquals(net.output(x), restored.output(x));
    }

    @Test
    void restoredNetworkContinuesTrainingExactlyLikeTheOriginal() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration());
        net.init();
        INDArray x = gaussian(SEED, DataType.FLOAT, 16, 4);
        INDArray y = TestData.oneHot(SEED, DataType.FLOAT, 16, 3);
        net.fit(x, y);
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);

        net.fit(x, y);
        restored.fit(x, y);

        assertEquals(net.params(), restored.params());
    }

    @Test
    void computationGraphRoundTripKeepsOutputsAndUpdaterState() throws IOException {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED)
                .updater(new Adam(1e-2)).graphBuilder().addInputs("in")
                .addLayer("iso", new IsotropicDenseLayer.Builder().nOut(5).build(), "in")
                .addLayer("act", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(4)
                        .activation(new IsotropicLog1p(0.1)).build(), "iso")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(3).build(), "act")
                .setOutputs("out").setInputTypes(InputType.feedForward(4)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray x = gaussian(SEED, DataType.FLOAT, 16, 4);
        INDArray y = TestData.oneHot(SEED, DataType.FLOAT, 16, 3);
        graph.fit(new INDArray[] {x}, new INDArray[] {y});
        File file = dir.resolve("graph.zip").toFile();

        ModelSerializer.writeModel(graph, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

        assertEquals(graph.getConfiguration(), restored.getConfiguration());
        assertEquals(graph.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(graph.outputSingle(x), restored.outputSingle(x));
    }
}
