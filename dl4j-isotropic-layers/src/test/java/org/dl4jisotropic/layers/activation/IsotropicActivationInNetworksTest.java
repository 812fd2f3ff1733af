package org.dl4jisotropic.layers.activation;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.core.activation.IsotropicKernel;
import org.dl4jisotropic.core.activation.IsotropicProfile;
import org.dl4jisotropic.core.testing.DoublePrecision;
import org.dl4jisotropic.layers.testing.GradientChecks;
import org.dl4jisotropic.layers.testing.TestData;
import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The isotropic IActivation inside every kind of DL4J layer that takes one, checked with GradientCheckUtil. */
@ExtendWith(DoublePrecision.class)
class IsotropicActivationInNetworksTest {

    private static final long SEED = 99L;

    /** An ordinary DL4J MLP configuration; only the hidden activation is a parameter. */
    static MultiLayerConfiguration mlp(IActivation hidden) {
        return new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE).updater(new NoOp()).list()
                .layer(new DenseLayer.Builder().nOut(5).activation(hidden).build())
                .layer(new DenseLayer.Builder().nOut(4).activation(hidden).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.feedForward(6)).build();
    }

    @Test
    void switchingAnMlpToIsotropicChangesOnlyTheActivationInItsConfiguration() {
        String tanh = mlp(Activation.TANH.getActivationFunction()).toJson();
        String isotropic = mlp(new IsotropicTanh()).toJson();
        String tanhClass = "\"org.nd4j.linalg.activations.impl.ActivationTanH\"";
        String isoClass = "\"org.dl4jisotropic.layers.activation.IsotropicTanh\"";

        String normalized = isotropic.replaceAll("\\{\\s*\"@class\" : " + isoClass.replace(".", "\\.")
                + ",[^}]*}", "{\n  \"@class\" : " + tanhClass + "\n}");

        assertEquals(tanh.replaceAll("\\s", ""), normalized.replaceAll("\\s", ""));
    }

    @Test
    void denseLayersWithIsotropicActivationPassGradientCheck() {
        MultiLayerNetwork net = new MultiLayerNetwork(mlp(new IsotropicTanh(0.2)));
        net.init();
        assertTrue(GradientChecks.passes(net, gaussian(SEED, DataType.DOUBLE, 7, 6),
                TestData.oneHot(SEED, DataType.DOUBLE, 7, 3)));
    }

    @Test
    void outputLayerWithIsotropicActivationPassesGradientCheck() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED)
                .dataType(DataType.DOUBLE).updater(new NoOp()).list()
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(new IsotropicLog1p(0.1))
                        .nOut(3).build())
                .setInputType(InputType.feedForward(4)).build());
        net.init();
        assertTrue(GradientChecks.passes(net, gaussian(SEED, DataType.DOUBLE, 6, 4),
                gaussian(SEED + 1, DataType.DOUBLE, 6, 3).muli(0.3)));
    }

    @Test
    void activationLayerWithIsotropicActivationPassesGradientCheck() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED)
                .dataType(DataType.DOUBLE).updater(new NoOp()).list()
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().activation(new IsotropicShiftedRelu(0.1)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nOut(2).build())
                .setInputType(InputType.feedForward(4)).build());
        net.init();
        // scale the input so that most rows lie beyond the shifted ReLU's dead zone
        assertTrue(GradientChecks.passes(net, gaussian(SEED, DataType.DOUBLE, 6, 4).muli(3.0),
                gaussian(SEED + 1, DataType.DOUBLE, 6, 2)));
    }

    @Test
    void convolutionLayerTakesTheNormOverChannelsAtEachPosition() {
        MultiLayerNetwork isotropic = new MultiLayerNetwork(convolutionalNetwork(new IsotropicTanh(0.1)));
        isotropic.init();
        MultiLayerNetwork linear = new MultiLayerNetwork(convolutionalNetwork(Activation.IDENTITY.getActivationFunction()));
        linear.init(isotropic.params().dup(), false);
        INDArray input = gaussian(SEED, DataType.DOUBLE, 2, 2, 5, 5);

        INDArray activated = isotropic.feedForwardToLayer(0, input, false).get(1);
        INDArray preActivation = linear.feedForwardToLayer(0, input, false).get(1);
        INDArray expected = new IsotropicKernel(IsotropicProfile.TANH, FeatureAxis.CHANNELS_FIRST)
                .forward(preActivation, 0.1).output();

        assertEquals(4, activated.rank());
        assertTrue(maxAbsDifference(expected, activated) <= Tolerances.ROUNDING_F64);
        assertTrue(activated.norm2(1).maxNumber().doubleValue() < 1.0, "every channel vector must have norm < 1");
    }

    @Test
    void convolutionLayerWithIsotropicActivationPassesGradientCheck() {
        MultiLayerNetwork net = new MultiLayerNetwork(convolutionalNetwork(new IsotropicTanh(0.1)));
        net.init();
        assertTrue(GradientChecks.passes(net, gaussian(SEED, DataType.DOUBLE, 2, 2, 5, 5),
                TestData.oneHot(SEED, DataType.DOUBLE, 2, 3)));
    }

    @Test
    void computationGraphWithIsotropicActivationPassesGradientCheck() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED)
                .dataType(DataType.DOUBLE).updater(new NoOp()).graphBuilder().addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nOut(5).activation(new IsotropicTanh(1e-6)).build(),
                        "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(3).build(), "hidden")
                .setOutputs("out").setInputTypes(InputType.feedForward(4)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        assertTrue(GradientChecks.passes(graph, gaussian(SEED, DataType.DOUBLE, 5, 4),
                TestData.oneHot(SEED, DataType.DOUBLE, 5, 3)));
    }

    @Test
    void recurrentLayerWithIsotropicActivationPassesGradientCheck() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED)
                .dataType(DataType.DOUBLE).updater(new NoOp()).list()
                .layer(new SimpleRnn.Builder().nOut(4).activation(new IsotropicTanh(0.1)).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nOut(2).build())
                .setInputType(InputType.recurrent(3, 5)).build());
        net.init();
        assertTrue(GradientChecks.passes(net, gaussian(SEED, DataType.DOUBLE, 2, 3, 5),
                gaussian(SEED + 1, DataType.DOUBLE, 2, 2, 5)));
    }

    @Test
    void channelsLastAxisMatchesTheKernelOnNhwcArrays() {
        INDArray nhwc = gaussian(SEED, DataType.DOUBLE, 2, 3, 3, 4);
        INDArray expected = new IsotropicKernel(IsotropicProfile.TANH, FeatureAxis.CHANNELS_LAST)
                .forward(nhwc, 0.0).output();
        INDArray norms = new IsotropicTanh(0.0, FeatureAxis.CHANNELS_LAST).getActivation(nhwc.dup(), false)
                .norm2(3);
        assertTrue(norms.maxNumber().doubleValue() < 1.0);
        assertEquals(0.0, maxAbsDifference(expected.norm2(3), norms), Tolerances.ROUNDING_F64);
    }

    private static MultiLayerConfiguration convolutionalNetwork(IActivation activation) {
        return new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE).updater(new NoOp()).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(activation).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.convolutional(5, 5, 2)).build();
    }
}
