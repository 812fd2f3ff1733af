package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;

import java.util.Map;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Small float64 ComputationGraphs, one per graph shape that graph surgery supports. Every graph has input "in" and
 * one softmax output "out" with {@link #CLASSES} classes; dense graphs read {@link #FEATURES} features, convolutional
 * ones {@link #CHANNELS} x {@link #SIDE} x {@link #SIDE} images (NCHW).
 */
final class SurgeryGraphs {

    static final long SEED = 91L;
    static final int FEATURES = 6;
    static final int CHANNELS = 2;
    static final int SIDE = 6;
    static final int CLASSES = 3;

    private SurgeryGraphs() {
    }

    static NeuralNetConfiguration.Builder base(IUpdater updater) {
        return new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE).updater(updater);
    }

    /** in(6) -&gt; h0 IsotropicDenseLayer(5) -&gt; h1 DenseLayer(IsotropicTanh, 4; psi row) -&gt; out. */
    static ComputationGraphConfiguration chain() {
        return base(new Adam(1e-2)).graphBuilder().addInputs("in").setInputTypes(InputType.feedForward(FEATURES))
                .addLayer("h0", new IsotropicDenseLayer.Builder().nOut(5).build(), "in")
                .addLayer("h1", new DenseLayer.Builder().nOut(4).activation(new IsotropicTanh(0.1)).build(), "h0")
                .addLayer("out", output(), "h1")
                .setOutputs("out").build();
    }

    /**
     * in(6) -&gt; h0 IsotropicDenseLayer(5) -&gt; h1 IsotropicDenseLayer(4, with psi: its input carries h0's scale)
     * -&gt; out.
     */
    static ComputationGraphConfiguration isotropicChain() {
        return base(new Adam(1e-2)).graphBuilder().addInputs("in").setInputTypes(InputType.feedForward(FEATURES))
                .addLayer("h0", new IsotropicDenseLayer.Builder().nOut(5).build(), "in")
                .addLayer("h1", new IsotropicDenseLayer.Builder().nOut(4).build(), "h0")
                .addLayer("out", output(), "h1")
                .setOutputs("out").build();
    }

    /** in(6) -&gt; a IsotropicDenseLayer(3), b DenseLayer(IsotropicTanh, 4) -&gt; m Merge(a, b) -&gt; h Dense(Iso, 5) -&gt; out. */
    static ComputationGraphConfiguration denseMerge() {
        return base(new Adam(1e-2)).graphBuilder().addInputs("in").setInputTypes(InputType.feedForward(FEATURES))
                .addLayer("a", new IsotropicDenseLayer.Builder().nOut(3).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nOut(4).activation(new IsotropicTanh()).build(), "in")
                .addVertex("m", new MergeVertex(), "a", "b")
                .addLayer("h", new DenseLayer.Builder().nOut(5).activation(new IsotropicTanh()).build(), "m")
                .addLayer("out", output(), "h")
                .setOutputs("out").build();
    }

    /**
     * in(2x6x6) -&gt; a conv(Iso, 3, 3x3 Same), b conv(Iso, 2, 1x1) -&gt; m Merge(a, b) -&gt; c conv(Iso, 4, 3x3 Same)
     * -&gt; p AVG pool 2x2 -&gt; out (flatten 4x3x3).
     */
    static ComputationGraphConfiguration convMerge() {
        return base(new Adam(1e-2)).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(SIDE, SIDE, CHANNELS))
                .addLayer("a", conv(3, 3, new IsotropicTanh()), "in")
                .addLayer("b", conv(2, 1, new IsotropicTanh()), "in")
                .addVertex("m", new MergeVertex(), "a", "b")
                .addLayer("c", conv(4, 3, new IsotropicTanh(0.2)), "m")
                .addLayer("p", averagePooling(), "c")
                .addLayer("out", output(), "p")
                .setOutputs("out").build();
    }

    /**
     * in(2x6x6) -&gt; h conv(Iso, 4) read twice: u conv(Iso, 3) reads h, v conv(Iso, 2) reads h through an AVG pool
     * and a ScaleVertex; global AVG pooling of u and v, merged, -&gt; out.
     */
    static ComputationGraphConfiguration convFanOut() {
        return base(new Adam(1e-2)).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(SIDE, SIDE, CHANNELS))
                .addLayer("h", conv(4, 3, new IsotropicTanh()), "in")
                .addLayer("u", conv(3, 3, new IsotropicTanh()), "h")
                .addLayer("p", averagePooling(), "h")
                .addVertex("sc", new ScaleVertex(0.5), "p")
                .addLayer("v", conv(2, 3, new IsotropicTanh()), "sc")
                .addLayer("gu", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "u")
                .addLayer("gv", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "v")
                .addVertex("m", new MergeVertex(), "gu", "gv")
                .addLayer("out", output(), "m")
                .setOutputs("out").build();
    }

    /**
     * Two residual streams. Stream A: s0 conv(Iso, 4) + r2 conv(IDENTITY, 4) at add1, read by r1 (from s0) and,
     * through an isotropic ActivationLayer a1, by proj and r4. Stream B: the projection shortcut proj conv(IDENTITY,
     * 5, 1x1) + r4 conv(Iso, 5) at add2, read by out through global AVG pooling. r1 conv(Iso, 3) is a free group
     * inside the residual branch.
     */
    static ComputationGraphConfiguration residual() {
        return base(new Adam(1e-2)).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(SIDE, SIDE, CHANNELS))
                .addLayer("s0", conv(4, 3, new IsotropicTanh()), "in")
                .addLayer("r1", conv(3, 3, new IsotropicTanh()), "s0")
                .addLayer("r2", conv(4, 3, Activation.IDENTITY.getActivationFunction()), "r1")
                .addVertex("add1", new ElementWiseVertex(ElementWiseVertex.Op.Add), "s0", "r2")
                .addLayer("a1", new ActivationLayer.Builder().activation(new IsotropicTanh()).build(), "add1")
                .addLayer("proj", conv(5, 1, Activation.IDENTITY.getActivationFunction()), "a1")
                .addLayer("r4", conv(5, 3, new IsotropicTanh()), "a1")
                .addVertex("add2", new ElementWiseVertex(ElementWiseVertex.Op.Add), "proj", "r4")
                .addLayer("g", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "add2")
                .addLayer("out", output(), "g")
                .setOutputs("out").build();
    }

    /**
     * in(2x6x6) -&gt; c0 conv(Iso, 3, 3x3 Same) -&gt; c1 conv(Iso, 4, 3x3 Same) -&gt; p AVG pool 2x2 -&gt; d
     * IsotropicDenseLayer(5) behind the flatten of 4x3x3 -&gt; out (nIn 6: psi as the last row).
     */
    static ComputationGraphConfiguration convToDense(IUpdater updater) {
        return base(updater).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(SIDE, SIDE, CHANNELS))
                .addLayer("c0", conv(3, 3, new IsotropicTanh()), "in")
                .addLayer("c1", conv(4, 3, new IsotropicTanh(0.1)), "c0")
                .addLayer("p", averagePooling(), "c1")
                .addLayer("d", new IsotropicDenseLayer.Builder().nOut(5).build(), "p")
                .addLayer("out", output(), "d")
                .setOutputs("out").build();
    }

    /**
     * The conv(IDENTITY) + ActivationLayer pattern: in(2x6x6) -&gt; c conv(IDENTITY, 4) -&gt; act
     * ActivationLayer(IsotropicTanh) -&gt; p AVG pool -&gt; out (flatten 4x3x3); and e conv(IDENTITY, 3) read directly
     * by out2 through global pooling (no isotropic activation anywhere on its path).
     */
    static ComputationGraphConfiguration activationLayer() {
        return base(new Adam(1e-2)).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(SIDE, SIDE, CHANNELS))
                .addLayer("c", conv(4, 3, Activation.IDENTITY.getActivationFunction()), "in")
                .addLayer("act", new ActivationLayer.Builder().activation(new IsotropicTanh()).build(), "c")
                .addLayer("p", averagePooling(), "act")
                .addLayer("out", output(), "p")
                .addLayer("e", conv(3, 3, Activation.IDENTITY.getActivationFunction()), "in")
                .addLayer("ge", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "e")
                .addLayer("out2", output(), "ge")
                .setOutputs("out", "out2").build();
    }

    /**
     * NHWC: in(6x6x2) -&gt; c conv(Iso over CHANNELS_LAST, 4, 3x3 Same) -&gt; p AVG pool 2x2 -&gt; out behind the NHWC
     * flatten (feature index (h W + w) C + c).
     */
    static ComputationGraphConfiguration nhwcToDense() {
        return base(new Adam(1e-2)).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(SIDE, SIDE, CHANNELS, CNN2DFormat.NHWC))
                .addLayer("c", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same)
                        .dataFormat(CNN2DFormat.NHWC).nOut(4)
                        .activation(new IsotropicTanh(0.0, FeatureAxis.CHANNELS_LAST)).build(), "in")
                .addLayer("p", new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2)
                        .dataFormat(CNN2DFormat.NHWC).build(), "c")
                .addLayer("out", output(), "p")
                .setOutputs("out").build();
    }

    static ConvolutionLayer conv(int nOut, int kernel, org.nd4j.linalg.activations.IActivation activation) {
        return new ConvolutionLayer.Builder(kernel, kernel).convolutionMode(ConvolutionMode.Same).nOut(nOut)
                .activation(activation).build();
    }

    static SubsamplingLayer averagePooling() {
        return new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build();
    }

    static OutputLayer output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nOut(CLASSES).build();
    }

    /**
     * A graph with every parameter drawn at random (scale 0.5), so that biases and psi are not zero and a wrong
     * rotation cannot hide behind a zero; intrinsic lengths o are made non-negative.
     */
    static ComputationGraph randomized(ComputationGraphConfiguration configuration, long seed) {
        ComputationGraph graph = new ComputationGraph(configuration);
        graph.init();
        graph.setParams(gaussian(seed, DataType.DOUBLE, 1, graph.numParams()).muli(0.5));
        for (Map.Entry<String, INDArray> parameter : graph.paramTable().entrySet()) {
            if (parameter.getKey().endsWith("_o")) {
                parameter.getValue().assign(parameter.getValue().dup().muli(parameter.getValue().dup()));
            }
        }
        return graph;
    }

    /** Dense inputs [rows, FEATURES]. */
    static INDArray features(int rows, long salt) {
        return gaussian(SEED + 1000 + salt, DataType.DOUBLE, rows, FEATURES);
    }

    /** Image inputs [rows, CHANNELS, SIDE, SIDE] (NCHW). */
    static INDArray images(int rows, long salt) {
        return gaussian(SEED + 1000 + salt, DataType.DOUBLE, rows, CHANNELS, SIDE, SIDE);
    }
}
