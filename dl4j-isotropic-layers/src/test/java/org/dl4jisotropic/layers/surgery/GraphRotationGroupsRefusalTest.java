package org.dl4jisotropic.layers.surgery;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Every vertex that breaks the rotation symmetry between an isotropic layer and its consumers is refused with an
 * IllegalArgumentException that names the vertex and says what to use instead.
 */
class GraphRotationGroupsRefusalTest {

    /** in(6) -&gt; h DenseLayer(IsotropicTanh, 4) -&gt; bad -&gt; out. */
    private static ComputationGraphConfiguration denseThrough(Layer bad) {
        return SurgeryGraphs.base(new Adam(1e-2)).graphBuilder().addInputs("in")
                .setInputTypes(InputType.feedForward(SurgeryGraphs.FEATURES))
                .addLayer("h", new DenseLayer.Builder().nOut(4).activation(new IsotropicTanh()).build(), "in")
                .addLayer("bad", bad, "h")
                .addLayer("out", SurgeryGraphs.output(), "bad")
                .setOutputs("out").build();
    }

    /** in(2x6x6) -&gt; h conv(Iso, 4) -&gt; bad -&gt; out. */
    private static ComputationGraphConfiguration convThrough(Layer bad) {
        return SurgeryGraphs.base(new Adam(1e-2)).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(SurgeryGraphs.SIDE, SurgeryGraphs.SIDE,
                        SurgeryGraphs.CHANNELS))
                .addLayer("h", SurgeryGraphs.conv(4, 3, new IsotropicTanh()), "in")
                .addLayer("bad", bad, "h")
                .addLayer("out", SurgeryGraphs.output(), "bad")
                .setOutputs("out").build();
    }

    /**
     * in(6) -&gt; h, h2 DenseLayer(IsotropicTanh, 4) -&gt; bad vertex (h, h2) -&gt; out; with one input, bad reads h
     * and h2 feeds a second output "keep".
     */
    private static ComputationGraphConfiguration denseVertex(org.deeplearning4j.nn.conf.graph.GraphVertex bad,
                                                             boolean twoInputs) {
        var builder = SurgeryGraphs.base(new Adam(1e-2)).graphBuilder().addInputs("in")
                .setInputTypes(InputType.feedForward(SurgeryGraphs.FEATURES))
                .addLayer("h", new DenseLayer.Builder().nOut(4).activation(new IsotropicTanh()).build(), "in")
                .addLayer("h2", new DenseLayer.Builder().nOut(4).activation(new IsotropicTanh()).build(), "in");
        if (twoInputs) {
            builder.addVertex("bad", bad, "h", "h2");
        } else {
            builder.addVertex("bad", bad, "h");
            builder.addLayer("keep", new DenseLayer.Builder().nOut(2).activation(Activation.TANH).build(), "h2");
        }
        builder.addLayer("out", SurgeryGraphs.output(), "bad");
        return (twoInputs ? builder.setOutputs("out") : builder.setOutputs("out", "keep")).build();
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("max pooling", (Supplier<ComputationGraphConfiguration>) () -> convThrough(
                        new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build()),
                        "bad", "PoolingType.AVG"),
                Arguments.of("batch normalization", (Supplier<ComputationGraphConfiguration>) () -> convThrough(
                        new BatchNormalization.Builder().build()), "bad", "remove it"),
                Arguments.of("local response normalization", (Supplier<ComputationGraphConfiguration>) () ->
                        convThrough(new LocalResponseNormalization.Builder().build()), "bad", "remove it"),
                Arguments.of("dropout layer", (Supplier<ComputationGraphConfiguration>) () -> denseThrough(
                        new DropoutLayer.Builder(0.5).build()), "bad", "remove it"),
                Arguments.of("dropout on the consumer", (Supplier<ComputationGraphConfiguration>) () -> denseThrough(
                        new DenseLayer.Builder().nOut(3).activation(new IsotropicTanh()).dropOut(0.5).build()),
                        "bad", "remove the dropout"),
                Arguments.of("element-wise activation", (Supplier<ComputationGraphConfiguration>) () -> denseThrough(
                        new ActivationLayer.Builder().activation(Activation.TANH).build()), "bad",
                        "isotropic activation"),
                Arguments.of("element-wise product", (Supplier<ComputationGraphConfiguration>) () -> denseVertex(
                        new ElementWiseVertex(ElementWiseVertex.Op.Product), true), "bad",
                        "Add, Subtract or Average"),
                Arguments.of("element-wise max", (Supplier<ComputationGraphConfiguration>) () -> denseVertex(
                        new ElementWiseVertex(ElementWiseVertex.Op.Max), true), "bad", "Add, Subtract or Average"),
                Arguments.of("shift vertex", (Supplier<ComputationGraphConfiguration>) () -> denseVertex(
                        new ShiftVertex(0.3), false), "bad", "does not keep the symmetry"),
                Arguments.of("subset vertex", (Supplier<ComputationGraphConfiguration>) () -> denseVertex(
                        new SubsetVertex(0, 1), false), "bad", "does not keep the symmetry"),
                Arguments.of("a stream input no writer provides", (Supplier<ComputationGraphConfiguration>) () ->
                                SurgeryGraphs.base(new Adam(1e-2)).graphBuilder().addInputs("in")
                                        .setInputTypes(InputType.feedForward(SurgeryGraphs.FEATURES))
                                        .addLayer("h", new DenseLayer.Builder().nOut(SurgeryGraphs.FEATURES)
                                                .activation(new IsotropicTanh()).build(), "in")
                                        .addVertex("bad", new ElementWiseVertex(ElementWiseVertex.Op.Add), "h", "in")
                                        .addLayer("out", SurgeryGraphs.output(), "bad")
                                        .setOutputs("out").build(),
                        "bad", "input 1 (\"in\")"),
                Arguments.of("an NHWC convolution normed over channels-first",
                        (Supplier<ComputationGraphConfiguration>) () -> SurgeryGraphs.base(new Adam(1e-2))
                                .graphBuilder().addInputs("in")
                                .setInputTypes(InputType.convolutional(SurgeryGraphs.SIDE, SurgeryGraphs.SIDE,
                                        SurgeryGraphs.CHANNELS, CNN2DFormat.NHWC))
                                .addLayer("bad", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same)
                                        .dataFormat(CNN2DFormat.NHWC).nOut(4)
                                        .activation(new IsotropicTanh(0.0, FeatureAxis.CHANNELS_FIRST)).build(), "in")
                                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                        .activation(Activation.SOFTMAX).nOut(SurgeryGraphs.CLASSES).build(), "bad")
                                .setOutputs("out").build(),
                        "bad", "FeatureAxis.CHANNELS_LAST"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aVertexThatBreaksTheSymmetryIsRefusedByNameWithTheReplacement(String what,
                                                                       Supplier<ComputationGraphConfiguration> graph,
                                                                       String vertex, String remedy) {
        ComputationGraphConfiguration configuration = graph.get();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GraphRotationGroups.of(configuration));

        assertTrue(e.getMessage().contains("\"" + vertex + "\""), what + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(remedy), what + ": " + e.getMessage());
    }
}
