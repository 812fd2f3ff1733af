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
import org.dl4jisotropic.core.testing.Tolerances;
import org.dl4jisotropic.layers.conf.Connectivity;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.conf.IsotropicDenseParamInitializer;
import org.dl4jisotropic.layers.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class SparsifierTest {

    private static final int INPUTS = 10;
    private static final int WIDTH = 8;
    private static final int HIDDEN = 5;
    private static final int CLASSES = 3;
    /** Section 10 of the method notes: alternating full diagonalization changes no output beyond rounding. */
    private static final double EXACT_F64 = 1e-12;
    private static final double EXACT_F32 = Tolerances.FLOAT32_RELATIVE;
    /** Values copied from one array to another, or read back as stored: bit for bit. */
    private static final double IDENTICAL = 0.0;
    /** A norm or exp of small values computed by two routes: a rounding or two. */
    private static final double ONE_ROUNDING = 1e-15;
    private static final double LEARNING_RATE = 1e-2;
    /** Adam steps on one fixed batch after the round trip, and the fraction of the loss they must at least remove. */
    private static final int TRAINING_STEPS = 20;
    private static final double LOSS_FALLS_TO = 0.9;
    /** Twenty Adam steps of 1e-2 move a trained weight by far more than float32 rounding. */
    private static final double TRAINED = 1e-4;

    @TempDir
    Path dir;

    /** Input 10, five hidden IsotropicDenseLayers of width 8, 3 outputs, a few Adam steps. */
    static MultiLayerNetwork deep(DataType type) {
        ListBuilder builder = new NeuralNetConfiguration.Builder().seed(5).dataType(type)
                .updater(new Adam(LEARNING_RATE)).list();
        for (int i = 0; i < HIDDEN; i++) {
            builder.layer(new IsotropicDenseLayer.Builder().nOut(WIDTH).psiL2(0.1).build());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(builder.layer(new OutputLayer.Builder(
                LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(CLASSES).build())
                .setInputType(InputType.feedForward(INPUTS)).build());
        net.init();
        for (int i = 0; i < 3; i++) {
            net.fit(gaussian(40 + i, type, 16, INPUTS), TestData.oneHot(40 + i, type, 16, CLASSES));
        }
        return net;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void sparseNetworkComputesTheSameOutputs(DataType type) {
        MultiLayerNetwork net = deep(type);
        INDArray probe = gaussian(9, type, 64, INPUTS);

        Sparsifier.Result result = Sparsifier.sparsify(net, probe);

        double tolerance = type == DataType.DOUBLE ? EXACT_F64 : EXACT_F32;
        double change = maxAbsDifference(net.output(probe), result.network().output(probe));
        assertTrue(change <= tolerance, () -> type + ": max output change " + change);
        assertEquals(change, result.report().maxOutputChange(), IDENTICAL);
    }

    @Test
    void parameterAndNonzeroCountsAreExactlyThoseOfTheFormula() {
        MultiLayerNetwork net = deep(DataType.DOUBLE);

        Sparsifier.Result result = Sparsifier.sparsify(net, null);
        SparsificationReport report = result.report();

        // counted from the architecture: layer 0 has W, b and lambda; layers 1..4 add psi; the output layer's
        // weights have one extra input row for the last hidden layer's scale
        long dense = (long) INPUTS * WIDTH + WIDTH + 1
                + (HIDDEN - 1) * ((long) WIDTH * WIDTH + 2 * WIDTH + 1)
                + (WIDTH + 1L) * CLASSES + CLASSES;
        long diagonalLayers = (HIDDEN - 1 + 1) / 2;   // ceil((D - 1) / 2), method notes section 8
        long removed = diagonalLayers * ((long) WIDTH * WIDTH - WIDTH);
        assertEquals(List.of(1, 3), report.diagonalLayers());
        assertEquals(dense, report.parametersBefore());
        assertEquals(dense - removed, report.parametersAfter());
        assertEquals(dense, nonzeros(net.params()), "a trained dense network has no zero parameter");
        assertEquals(dense, report.nonzerosBefore());
        // every stored parameter of the sparse network is non-zero: the diagonals hold the non-zero singular values
        assertEquals(dense - removed, nonzeros(result.network().params()));
        assertEquals(dense - removed, report.nonzerosAfter());
    }

    /** Non-zero entries, counted one by one (independently of the report's count). */
    private static long nonzeros(INDArray parameters) {
        double[] values = parameters.dup().data().asDouble();
        long count = 0;
        for (double value : values) {
            if (value != 0.0) {
                count++;
            }
        }
        return count;
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
        INDArray x = gaussian(3, DataType.FLOAT, 8, INPUTS);
        assertEquals(sparse.output(x), restored.output(x));
        assertEquals(sparse.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        DataSet batch = new DataSet(gaussian(4, DataType.FLOAT, 16, INPUTS), TestData.oneHot(4, DataType.FLOAT, 16,
                CLASSES));
        double lossBefore = restored.score(batch);
        INDArray diagonalBefore = restored.getParam("1_" + IsotropicDenseParamInitializer.DIAGONAL_KEY).dup();
        for (int i = 0; i < TRAINING_STEPS; i++) {
            restored.fit(batch);
        }
        double lossAfter = restored.score(batch);
        assertTrue(lossAfter < LOSS_FALLS_TO * lossBefore,
                () -> "loss on the training batch must fall: " + lossBefore + " -> " + lossAfter);
        // the one-weight-per-connection layers train too, not only the dense ones around them
        double diagonalMove = maxAbsDifference(diagonalBefore,
                restored.getParam("1_" + IsotropicDenseParamInitializer.DIAGONAL_KEY));
        assertTrue(diagonalMove > TRAINED, "diagonal weights of layer 1 moved by " + diagonalMove);
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
            assertEquals(spectrum[i], Math.abs(strengths[i]), EXACT_F64, "neuron " + i);
        }
        assertEquals(net.getLayer(1).getParam("psi").norm2Number().doubleValue(), insights.get(1).psiNorm(),
                ONE_ROUNDING);
        assertEquals(Math.exp(net.getLayer(2).getParam("lambda").getDouble(0)),
                insights.get(2).intrinsicLength().squaredLength(), ONE_ROUNDING);
    }

    @Test
    void surgeryOnASparseNetworkIsRejectedWithTheReason() {
        MultiLayerNetwork sparse = Sparsifier.sparsify(deep(DataType.FLOAT), null).network();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NetworkSurgeon(sparse));
        assertTrue(e.getMessage().contains("diagonal connectivity"), e.getMessage());
    }
}
