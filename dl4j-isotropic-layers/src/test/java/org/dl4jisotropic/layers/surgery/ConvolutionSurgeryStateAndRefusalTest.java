package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.dl4jisotropic.core.testing.TestArrays.randomOrthogonal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.testing.Tolerances;
import org.dl4jisotropic.layers.activation.IsotropicTanh;
import org.dl4jisotropic.layers.conf.NormMaxPooling2D;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Channel surgery carries Adam's state in the convolution layout, handles the last channel of a late convolution
 * (whose live view M2.1 can index as empty), and refuses, before any change, the layers that break the symmetry.
 */
class ConvolutionSurgeryStateAndRefusalTest {

    @Test
    void adamFirstMomentsOfConvolutionWeightsAreTheRotatedMoments() {
        MultiLayerNetwork net = ScaleChannelNetworks.trained(DataType.DOUBLE);
        int producer = ScaleChannelNetworks.CONV_LAYERS[0];
        int consumer = ScaleChannelNetworks.CONSUMERS[0];
        INDArray producerM = firstMoment(net, producer);
        INDArray consumerM = firstMoment(net, consumer);
        INDArray r = randomOrthogonal(3, 5, DataType.DOUBLE);

        new NetworkSurgeon(net).rotate(0, r);

        // W_l[o', ...] <- sum_o R[o, o'] W_l[o, ...];  W_{l+1}[p, i', ...] <- sum_i R[i, i'] W_{l+1}[p, i, ...]
        INDArray expectedProducer = producerM.reshape('c', 5, producerM.length() / 5).transpose().mmul(r)
                .transpose().reshape('c', producerM.shape());
        INDArray expectedConsumer = consumerM.dup();
        for (int p = 0; p < consumerM.size(0); p++) {
            for (int i = 0; i < 5; i++) {
                INDArray sum = consumerM.get(NDArrayIndex.point(p), NDArrayIndex.point(0)).mul(r.getDouble(0, i));
                for (int k = 1; k < 5; k++) {
                    sum.addi(consumerM.get(NDArrayIndex.point(p), NDArrayIndex.point(k)).mul(r.getDouble(k, i)));
                }
                expectedConsumer.get(NDArrayIndex.point(p), NDArrayIndex.point(i)).assign(sum);
            }
        }
        assertTrue(maxAbsDifference(expectedProducer, firstMoment(net, producer)) <= Tolerances.SURGERY_F64);
        assertTrue(maxAbsDifference(expectedConsumer, firstMoment(net, consumer)) <= Tolerances.SURGERY_F64);
    }

    @Test
    void theLastChannelOfALateConvolutionMovesToTheFrontUnderAPermutation() {
        MultiLayerNetwork net = ScaleChannelNetworks.trained(DataType.DOUBLE);
        int conv = ScaleChannelNetworks.CONV_LAYERS[1];
        INDArray lastFilter = net.getLayer(conv).getParam("W").dup().get(NDArrayIndex.point(3)).dup();
        INDArray permutation = org.nd4j.linalg.factory.Nd4j.zeros(DataType.DOUBLE, 4, 4);
        for (int i = 0; i < 4; i++) {
            permutation.putScalar((i + 3) % 4, i, 1.0);   // new channel i is old channel (i + 3) mod 4
        }

        new NetworkSurgeon(net).rotate(1, permutation);

        INDArray firstFilter = net.getLayer(conv).getParam("W").dup().get(NDArrayIndex.point(0));
        assertEquals(lastFilter.length(), firstFilter.length());
        assertEquals(0.0, maxAbsDifference(lastFilter, firstFilter), Tolerances.IDENTICAL);
    }

    @Test
    void maxPoolingIsRefusedNamingTheLayerAndTheReplacements() {
        assertRefused(() -> new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
                "layer 1 (SubsamplingLayer", "PoolingType.AVG", "NormMaxPooling2D");
    }

    @Test
    void batchNormalizationIsRefused() {
        assertRefused(() -> new BatchNormalization.Builder().build(), "layer 1 (BatchNormalization",
                "remove it");
    }

    @Test
    void localResponseNormalizationIsRefused() {
        assertRefused(() -> new LocalResponseNormalization.Builder().build(), "layer 1 (LocalResponseNormalization",
                "remove it");
    }

    @Test
    void aDropoutLayerIsRefused() {
        assertRefused(() -> new DropoutLayer.Builder(0.5).build(), "layer 1 (DropoutLayer", "remove it");
    }

    @Test
    void separableAndTransposedConvolutionsAreRefused() {
        assertRefused(() -> new SeparableConvolution2D.Builder(3, 3).nOut(3).activation(new IsotropicTanh(0.1))
                .build(), "layer 1 (SeparableConvolution2D", "ConvolutionLayer");
        assertRefused(() -> new Deconvolution2D.Builder(3, 3).nOut(3).activation(new IsotropicTanh(0.1)).build(),
                "layer 1 (Deconvolution2D", "ConvolutionLayer");
    }

    @Test
    void normMaxPoolingAllowsRotationsButRefusesRemovalBeforeAnythingChanges() {
        MultiLayerNetwork net = network(() -> new NormMaxPooling2D.Builder().kernelSize(2, 2).stride(2, 2).build());
        INDArray probe = ScaleChannelNetworks.inputs(DataType.DOUBLE, 4, 1);
        INDArray before = net.output(probe).dup();
        INDArray parameters = net.params().dup();
        NetworkSurgeon surgeon = new NetworkSurgeon(net);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> surgeon.shrink(0, 1));
        assertTrue(e.getMessage().contains("NormMaxPooling2D") && e.getMessage().contains("average pooling"),
                e.getMessage());
        assertEquals(parameters, net.params());

        surgeon.rotate(0, randomOrthogonal(8, 4, DataType.DOUBLE));
        assertTrue(maxAbsDifference(before, net.output(probe)) <= Tolerances.SURGERY_F64);
    }

    @Test
    void anActivationWhoseAxisIsNotTheChannelAxisIsRefused() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).dataFormat(CNN2DFormat.NHWC)
                        .activation(new IsotropicTanh(0.1)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.convolutional(8, 8, 2, CNN2DFormat.NHWC)).build());
        net.init();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NetworkSurgeon(net));
        assertTrue(e.getMessage().contains("layer 0") && e.getMessage().contains("CHANNELS_LAST"), e.getMessage());
    }

    @Test
    void sparsifyingAConvolutionalNetworkIsRefusedWithTheReason() {
        MultiLayerNetwork net = ScaleChannelNetworks.build(DataType.DOUBLE);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sparsifier.sparsify(net,
                null));
        assertTrue(e.getMessage().contains("fully connected"), e.getMessage());
    }

    /** The first moment of a parameter: with one updater block, Adam's state starts with M for every parameter. */
    private static INDArray firstMoment(MultiLayerNetwork net, int layer) {
        MultiLayerNetwork copy = net.clone();
        INDArray state = net.getUpdater().getStateViewArray();
        copy.setParams(state.get(NDArrayIndex.interval(0, net.numParams())).dup());
        return copy.getLayer(layer).getParam("W").dup();
    }

    private static void assertRefused(Supplier<Layer> between, String... fragments) {
        MultiLayerNetwork net = network(between);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NetworkSurgeon(net));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), e.getMessage());
        }
    }

    /** conv 3x3 (4, isotropic) -> the given layer -> output, on 2 x 8 x 8 inputs. */
    private static MultiLayerNetwork network(Supplier<Layer> between) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(new IsotropicTanh(0.1)).build())
                .layer(between.get())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.convolutional(8, 8, 2)).build());
        net.init();
        return net;
    }
}
