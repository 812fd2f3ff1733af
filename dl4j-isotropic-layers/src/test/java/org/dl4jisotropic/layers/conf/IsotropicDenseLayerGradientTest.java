package org.dl4jisotropic.layers.conf;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.dl4jisotropic.core.activation.IsotropicProfile;
import org.dl4jisotropic.core.testing.DoublePrecision;
import org.dl4jisotropic.layers.testing.GradientChecks;
import org.dl4jisotropic.layers.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** DL4J's GradientCheckUtil on networks built from IsotropicDenseLayer, in double precision. */
@ExtendWith(DoublePrecision.class)
class IsotropicDenseLayerGradientTest {

    private static final long SEED = 12345L;

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of(IsotropicProfile.TANH, IntrinsicLength.none(), 0.0),
                Arguments.of(IsotropicProfile.TANH, IntrinsicLength.constant(0.3), 0.0),
                Arguments.of(IsotropicProfile.TANH, IntrinsicLength.trainable(0.3), 0.1),
                Arguments.of(IsotropicProfile.LOG1P, IntrinsicLength.trainable(0.2), 0.0),
                Arguments.of(IsotropicProfile.SHIFTED_RELU, IntrinsicLength.constant(0.1), 0.1));
    }

    @ParameterizedTest(name = "{0}, {1}, psiL2 = {2}")
    @MethodSource("variants")
    void multiLayerNetworkOfIsotropicDenseLayersPassesGradientCheck(IsotropicProfile profile,
                                                                    IntrinsicLength length, double psiL2) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(isotropic(5, profile, length, psiL2))
                .layer(isotropic(4, profile, length, psiL2))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.feedForward(6)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        perturbPsiAndBias(net);

        INDArray input = gaussian(SEED, DataType.DOUBLE, 8, 6);
        INDArray labels = TestData.oneHot(SEED, DataType.DOUBLE, 8, 3);

        assertTrue(GradientChecks.passes(net, input, labels),
                () -> "gradient check failed for " + profile + ", " + length + ", psiL2=" + psiL2);
    }

    @Test
    void diagonalLayersNarrowerAndWiderThanTheirInputPassGradientCheck() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(isotropic(6, IsotropicProfile.TANH, IntrinsicLength.trainable(0.3), 0.0))
                .layer(new IsotropicDenseLayer.Builder().nOut(4).connectivity(Connectivity.DIAGONAL)
                        .intrinsicLength(IntrinsicLength.trainable(0.2)).build())
                .layer(new IsotropicDenseLayer.Builder().nOut(7).connectivity(Connectivity.DIAGONAL).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.feedForward(5)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        perturbPsiAndBias(net);
        INDArray d = net.getLayer(1).getParam(IsotropicDenseParamInitializer.DIAGONAL_KEY);
        d.assign(gaussian(SEED + 5, DataType.DOUBLE, d.shape()));

        assertTrue(GradientChecks.passes(net, gaussian(SEED, DataType.DOUBLE, 8, 5),
                TestData.oneHot(SEED, DataType.DOUBLE, 8, 3)), "gradient check failed for diagonal layers");
    }

    @Test
    void computationGraphWithIsotropicDenseLayerFeedingAStockDenseLayerPassesGradientCheck() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED)
                .dataType(DataType.DOUBLE).updater(new NoOp()).graphBuilder().addInputs("in")
                .addLayer("iso", isotropic(5, IsotropicProfile.TANH, IntrinsicLength.trainable(0.5), 0.1), "in")
                .addLayer("dense", new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build(), "iso")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nOut(2).build(), "dense")
                .setOutputs("out").setInputTypes(InputType.feedForward(3)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();

        INDArray input = gaussian(SEED, DataType.DOUBLE, 6, 3);
        INDArray labels = gaussian(SEED + 1, DataType.DOUBLE, 6, 2);

        assertTrue(GradientChecks.passes(graph, input, labels), "gradient check failed for the graph");
    }

    private static IsotropicDenseLayer isotropic(int nOut, IsotropicProfile profile, IntrinsicLength length,
                                                 double psiL2) {
        return new IsotropicDenseLayer.Builder().nOut(nOut).profile(profile).intrinsicLength(length).psiL2(psiL2)
                .build();
    }

    /** psi and b start at zero; give them values so that their gradients are checked away from that point. */
    private static void perturbPsiAndBias(MultiLayerNetwork net) {
        for (int i = 0; i < 2; i++) {
            INDArray b = net.getLayer(i).getParam(IsotropicDenseParamInitializer.BIAS_KEY);
            b.assign(gaussian(SEED + 10 + i, DataType.DOUBLE, b.shape()).muli(0.3));
        }
        INDArray psi = net.getLayer(1).getParam(IsotropicDenseParamInitializer.PSI_KEY);
        psi.assign(gaussian(SEED + 20, DataType.DOUBLE, psi.shape()).muli(0.5));
    }
}
