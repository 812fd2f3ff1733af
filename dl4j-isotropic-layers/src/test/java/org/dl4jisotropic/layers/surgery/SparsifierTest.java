package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jisotropic.core.surgery.LayerInsight;
import org.dl4jisotropic.layers.conf.Connectivity;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class SparsifierTest {

    private static final int WIDTH = 8;
    private static final int HIDDEN = 5;

    @TempDir
    Path dir;

    /** Input 10, five hidden IsotropicDenseLayers of width 8, 3 outputs, a few Adam steps. */
    static MultiLayerNetwork deep(DataType type) {
        ListBuilder builder = new NeuralNetConfiguration.Builder().seed(5).dataType(type).updater(new Adam(1e-2))
                .list();
        for (int i = 0; i < HIDDEN; i++) {
            builder.layer(new IsotropicDenseLayer.Builder().nOut(WIDTH).psiL2(0.1).build());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(builder.layer(new OutputLayer.Builder(
                LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(3).build())
                .setInputType(InputType.feedForward(10)).build());
        net.init();
        for (int i = 0; i < 3; i++) {
            net.fit(gaussian(40 + i, type, 16, 10), TestData.oneHot(40 + i, type, 16, 3));
        }
        return net;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void sparseNetworkComputesTheSameOutputs(DataType type) {
        MultiLayerNetwork net = deep(type);
        INDArray probe = gaussian(9, type, 64, 10);

        Sparsifier.Result result = Sparsifier.sparsify(net, probe);

        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;
        double change = maxAbsDifference(net.output(probe), result.network().output(probe));
        assertTrue(change <= tolerance, () -> type + ": max output change " + change);
        assertEquals(change, result.report().maxOutputChange(), 0.0);
    }

    @Test
    void parameterCountFallsByExactlyTheFormula() {
        MultiLayerNetwork net = deep(DataType.DOUBLE);

        SparsificationReport report = Sparsifier.sparsify(net, null).report();

        long diagonalLayers = (HIDDEN - 1 + 1) / 2;   // ceil((D - 1) / 2)
        assertEquals(List.of(1, 3), report.diagonalLayers());
        assertEquals(diagonalLayers * ((long) WIDTH * WIDTH - WIDTH), report.parametersBefore()
                - report.parametersAfter());
        assertTrue(report.nonzerosAfter() <= report.parametersAfter());
        assertTrue(report.nonzerosBefore() > report.nonzerosAfter());
    }

    @Test
    void theInputNetworkIsNotModified() {
        MultiLayerNetwork net = deep(DataType.DOUBLE);
        INDArray parameters = net.params().dup();
        String configuration = net.getLayerWiseConfigurations().toJson();

        Sparsifier.sparsify(net, null);

        assertEquals(parameters, net.params());
        assertEquals(configuration, net.getLayerWiseConfigurations().toJson());
    }

    @Test
    void sparseNetworkRoundTripsThroughModelSerializerAndKeepsTraining() throws IOException {
        MultiLayerNetwork sparse = Sparsifier.sparsify(deep(DataType.FLOAT), null).network();
        File file = dir.resolve("sparse.zip").toFile();

        ModelSerializer.writeModel(sparse, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);

        assertEquals(Connectivity.DIAGONAL,
                ((IsotropicDenseLayer) restored.getLayerWiseConfigurations().getConf(1).getLayer()).connectivity());
        INDArray x = gaussian(3, DataType.FLOAT, 8, 10);
        assertEquals(sparse.output(x), restored.output(x));
        assertEquals(sparse.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        restored.fit(gaussian(4, DataType.FLOAT, 16, 10), TestData.oneHot(4, DataType.FLOAT, 16, 3));
        assertTrue(Double.isFinite(restored.score()));
    }

    @Test
    void inspectionShowsOneToOneStrengthsOfDiagonalLayersMatchingTheirSpectrum() {
        MultiLayerNetwork net = deep(DataType.DOUBLE);
        NetworkSurgeon surgeon = new NetworkSurgeon(net);
        surgeon.diagonalizeAlternating();

        List<LayerInsight> insights = surgeon.inspect();

        assertTrue(insights.get(0).diagonalStrengths().isEmpty());
        double[] strengths = insights.get(1).diagonalStrengths().orElseThrow();
        double[] spectrum = insights.get(1).spectrum().values();
        for (int i = 0; i < strengths.length; i++) {
            assertEquals(spectrum[i], Math.abs(strengths[i]), 1e-12, "neuron " + i);
        }
        assertEquals(net.getLayer(1).getParam("psi").norm2Number().doubleValue(), insights.get(1).psiNorm(), 1e-15);
        assertEquals(Math.exp(net.getLayer(2).getParam("lambda").getDouble(0)),
                insights.get(2).intrinsicLength().squaredLength(), 1e-15);
    }

    @Test
    void surgeryOnASparseNetworkIsRejectedWithTheReason() {
        MultiLayerNetwork sparse = Sparsifier.sparsify(deep(DataType.FLOAT), null).network();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NetworkSurgeon(sparse));
        assertTrue(e.getMessage().contains("diagonal connectivity"), e.getMessage());
    }
}
