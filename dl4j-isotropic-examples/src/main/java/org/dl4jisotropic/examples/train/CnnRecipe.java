package org.dl4jisotropic.examples.train;

import java.util.List;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.examples.data.ImageShape;
import org.dl4jisotropic.layers.activation.IsotropicActivation;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.conf.IsotropicActivationLayer;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.init.OrthogonalInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The convolutional network of {@code train --model cnn} (issue 14's recipe, the same as its PyTorch reference).
 * {@code --hidden c1,...,ck,d} reads as: for each {@code c}, a {@value #KERNEL}x{@value #KERNEL} convolution
 * (stride 1, no padding) to {@code c} channels with the {@link HiddenActivation}'s channel activation (isotropic over
 * the channels at each position, or elementwise), followed by the {@link Pooling} (2x2, stride 2); then one dense
 * hidden layer of width {@code d}, of the same kind as the MLP's; then a softmax output. The default
 * {@link #DEFAULT_HIDDEN} (32,64,128) is the recipe:
 *
 * <pre>
 *   [mb, 784] -> 28x28x1 -> conv 5x5 -> 24x24x32 -> pool -> 12x12x32 -> conv 5x5 -> 8x8x64 -> pool -> 4x4x64
 *             -> dense 128 -> softmax 10
 * </pre>
 *
 * With {@code --adapt} (isotropic activations only) each convolution has the identity activation and is followed by
 * an {@code IsotropicActivationLayer}, which applies the same activation and passes its scale on as one more channel,
 * so that adaptation can remove channels exactly (the next layer holds the psi kernel). Every weight starts orthogonal ({@link OrthogonalInit}; a filter bank as the matrix {@code [nOut, nIn*kH*kW]}),
 * biases at zero. The flat examples reach the first convolution through the preprocessor DL4J inserts for
 * {@code InputType.convolutionalFlat}, so the training and test data stay {@code [mb, pixels]}.
 */
public final class CnnRecipe {

    /** Side of the square convolution kernels. */
    public static final int KERNEL = 5;
    /** The recipe's --hidden: 32 and 64 channels, dense 128. */
    public static final List<Integer> DEFAULT_HIDDEN = List.of(32, 64, 128);

    private CnnRecipe() {
    }

    /**
     * How many convolution blocks (convolution then pooling) an image can take: each leaves
     * {@code (side - KERNEL + 1) / WINDOW} of the shorter side, which must stay &gt;= 1.
     */
    public static int maxConvolutions(ImageShape image) {
        int side = Math.min(image.height(), image.width());
        int blocks = 0;
        while (side - KERNEL + 1 >= Pooling.WINDOW) {
            side = (side - KERNEL + 1) / Pooling.WINDOW;
            blocks++;
        }
        return blocks;
    }

    /**
     * Checks that {@code --hidden} describes a network this image can feed.
     *
     * @throws IllegalArgumentException naming {@code --hidden}, how it is read, and the number of convolutions the
     *     image allows
     */
    public static void check(List<Integer> hidden, ImageShape image) {
        int convolutions = hidden.size() - 1;
        int allowed = maxConvolutions(image);
        if (convolutions < 1 || convolutions > allowed) {
            throw new IllegalArgumentException("--hidden for --model cnn lists the channels of each " + KERNEL + "x"
                    + KERNEL + " convolution, then the dense width (e.g. 32,64,128); a " + image + " image allows 1 to "
                    + allowed + " convolutions, found " + convolutions + " in " + hidden);
        }
    }

    /**
     * Builds and initializes the network.
     *
     * @param config  the run's configuration; its hidden widths checked by {@link #check(List, ImageShape)}
     * @param image   the shape of each (flat) example
     * @param classes number of classes
     */
    public static MultiLayerNetwork build(TrainingConfig config, ImageShape image, int classes) {
        List<Integer> hidden = config.hidden();
        check(hidden, image);
        ListBuilder list = new NeuralNetConfiguration.Builder().seed(config.seed()).dataType(config.dtype())
                .updater(config.updater().create(config.learningRate())).weightInit(new OrthogonalInit())
                .convolutionMode(ConvolutionMode.Truncate).list();
        boolean passScaleOn = config.adapt() && config.activation().isotropic();
        for (int channels : hidden.subList(0, hidden.size() - 1)) {
            if (passScaleOn) {
                // removal needs psi: the activation layer passes the scale on as one more channel
                list.layer(new ConvolutionLayer.Builder(KERNEL, KERNEL).stride(1, 1).nOut(channels)
                        .activation(Activation.IDENTITY).build());
                list.layer(new IsotropicActivationLayer.Builder()
                        .activation((IsotropicActivation) config.activation().channelActivation()).build());
            } else {
                list.layer(new ConvolutionLayer.Builder(KERNEL, KERNEL).stride(1, 1).nOut(channels)
                        .activation(config.activation().channelActivation()).build());
            }
            list.layer(config.pooling().layer());
        }
        list.layer(config.activation().layer(hidden.get(hidden.size() - 1)));
        MultiLayerNetwork net = new MultiLayerNetwork(list.layer(new OutputLayer.Builder(
                LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(classes).build())
                .setInputType(InputType.convolutionalFlat(image.height(), image.width(), image.channels())).build());
        net.init();
        return net;
    }

    /**
     * The recipe's network at its default widths in the form channel surgery uses for exact removal, with DL4J's
     * default initialization: conv 5x5 (32) and conv 5x5 (64), each with the identity activation, an
     * {@code IsotropicActivationLayer} (isotropic tanh, o = 1e-6) and 2x2 average pooling, an isotropic dense layer
     * of 128, 10 softmax outputs, Adam 1e-3, 28 x 28 x 1 inputs fed flat. {@code verify} and the JMH round benchmark
     * operate on it.
     *
     * @param type the network's data type
     * @param seed the initialization seed
     * @return the initialized network
     */
    public static MultiLayerNetwork surgeryReference(DataType type, long seed) {
        ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed).dataType(type).updater(new Adam(1e-3))
                .list();
        for (int channels : DEFAULT_HIDDEN.subList(0, DEFAULT_HIDDEN.size() - 1)) {
            list.layer(new ConvolutionLayer.Builder(KERNEL, KERNEL).nOut(channels).activation(Activation.IDENTITY)
                    .build());
            list.layer(new IsotropicActivationLayer.Builder().activation(new IsotropicTanh(1e-6)).build());
            list.layer(Pooling.AVG.layer());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list
                .layer(new IsotropicDenseLayer.Builder().nOut(DEFAULT_HIDDEN.get(DEFAULT_HIDDEN.size() - 1)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(10).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build());
        net.init();
        return net;
    }
}
