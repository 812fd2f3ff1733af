package org.dl4jisotropic.examples.bench;

import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.examples.train.HiddenActivation;
import org.dl4jisotropic.examples.train.ModelFactory;
import org.dl4jisotropic.examples.train.TrainingConfig;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The networks and minibatches the benchmarks share, so that the quick bench and the JMH runs time the same thing. */
public final class BenchmarkNetworks {

    /** Fashion-MNIST's input size. */
    public static final int PIXELS = 784;
    /** Fashion-MNIST's number of classes. */
    public static final int CLASSES = 10;

    private BenchmarkNetworks() {
    }

    /**
     * The training harness's configuration of a one-epoch Adam MLP, float, seed 42.
     *
     * @param activation    isotropic-tanh, tanh or relu
     * @param hidden        hidden widths
     * @param trainExamples training examples per epoch
     */
    public static TrainingConfig mlpConfig(String activation, List<Integer> hidden, int trainExamples) {
        return TrainingConfig.builder().hidden(hidden).epochs(1).activation(HiddenActivation.fromLabel(activation))
                .trainLimit(trainExamples).testLimit(1000).build();
    }

    /** The harness's 784-w-...-10 MLP, exactly as {@code isotropic train} builds it. */
    public static MultiLayerNetwork mlp(String activation, List<Integer> hidden) {
        return ModelFactory.mlp(mlpConfig(activation, hidden, 60_000), PIXELS, CLASSES);
    }

    /**
     * A deep isotropic network: {@code hiddenLayers} isotropic dense layers of one width on {@code width} inputs,
     * then a softmax output of 10 classes.
     */
    public static MultiLayerNetwork deepIsotropic(int hiddenLayers, int width) {
        ListBuilder list = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3)).list();
        for (int i = 0; i < hiddenLayers; i++) {
            list.layer(new IsotropicDenseLayer.Builder().nOut(width).build());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.layer(new OutputLayer.Builder(
                LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(CLASSES).build())
                .setInputType(InputType.feedForward(width)).build());
        net.init();
        return net;
    }

    /**
     * A synthetic minibatch shaped like Fashion-MNIST's: pixels uniform in [0, 1), one-hot labels cycling through
     * the classes. Time per step does not depend on the pixel values.
     */
    public static DataSet minibatch(int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.rand(DataType.FLOAT, batch, PIXELS);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, CLASSES);
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, i % CLASSES, 1.0);
        }
        return new DataSet(features, labels);
    }
}
