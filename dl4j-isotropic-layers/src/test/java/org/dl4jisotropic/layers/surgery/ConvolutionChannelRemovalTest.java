package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.surgery.SurgeryReport;
import org.dl4jisotropic.core.testing.Tolerances;
import org.dl4jisotropic.layers.conf.IsotropicActivationLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Removing channels from a convolution that passes its scale on ({@link ScaleChannelNetworks}): a constant channel
 * goes exactly, thanks to both the o update and the psi kernel (each shown necessary), and a non-constant one within
 * the reported bound, with an error linear in its singular value.
 */
class ConvolutionChannelRemovalTest {

    /** An output change this large is a real change, far above rounding. */
    private static final double CLEARLY_CHANGED = 1e-4;
    /** How close to 1/2 the error ratio must be when the removed singular value halves. */
    private static final double LINEARITY = 0.1;
    private static final int CHANNEL = 2;

    @Test
    void aConstantChannelOfEitherLayerIsRemovedExactly() {
        for (int hidden = 0; hidden < 2; hidden++) {
            MultiLayerNetwork net = ScaleChannelNetworks.trained(DataType.DOUBLE);
            ScaleChannelNetworks.makeConstant(net, ScaleChannelNetworks.CONV_LAYERS[hidden], CHANNEL);
            INDArray probe = ScaleChannelNetworks.inputs(DataType.DOUBLE, 8, 5);
            INDArray before = net.output(probe).dup();

            new NetworkSurgeon(net).shrink(hidden, 1);

            assertTrue(maxAbsDifference(before, net.output(probe)) <= Tolerances.SURGERY_F64,
                    "hidden layer " + hidden + " changed by " + maxAbsDifference(before, net.output(probe)));
        }
    }

    @Test
    void growingALayerWhosePsiIsAKernelKeepsTheOutputs() {
        for (int hidden = 0; hidden < 2; hidden++) {
            MultiLayerNetwork net = ScaleChannelNetworks.trained(DataType.DOUBLE);
            INDArray probe = ScaleChannelNetworks.inputs(DataType.DOUBLE, 8, 5);
            INDArray before = net.output(probe).dup();

            new NetworkSurgeon(net).grow(hidden, 3, 17);

            assertTrue(maxAbsDifference(before, net.output(probe)) <= Tolerances.SURGERY_F64,
                    "hidden layer " + hidden + " changed by " + maxAbsDifference(before, net.output(probe)));
        }
    }

    @Test
    void removalMovesTheConstantIntoTheActivationLayersIntrinsicLength() {
        MultiLayerNetwork net = ScaleChannelNetworks.trained(DataType.DOUBLE);
        ScaleChannelNetworks.makeConstant(net, ScaleChannelNetworks.CONV_LAYERS[1], CHANNEL);

        new NetworkSurgeon(net).shrink(1, 1);

        assertEquals(ScaleChannelNetworks.SQUARED_LENGTH + 0.7 * 0.7, activationLayer(net, 1)
                .squaredIntrinsicLength(), Tolerances.ROUNDING_F64);
    }

    @Test
    void withoutTheIntrinsicLengthUpdateTheRemovalIsClearlyNotExact() {
        MultiLayerNetwork net = ScaleChannelNetworks.trained(DataType.DOUBLE);
        ScaleChannelNetworks.makeConstant(net, ScaleChannelNetworks.CONV_LAYERS[1], CHANNEL);
        INDArray probe = ScaleChannelNetworks.inputs(DataType.DOUBLE, 8, 5);
        INDArray before = net.output(probe).dup();
        new NetworkSurgeon(net).shrink(1, 1);

        MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
        NeuralNetConfiguration activation = conf.getConf(ScaleChannelNetworks.ACTIVATION_LAYERS[1]);
        activation.setLayer(((IsotropicActivationLayer) activation.getLayer())
                .withSquaredIntrinsicLength(ScaleChannelNetworks.SQUARED_LENGTH));
        MultiLayerNetwork withoutLengthUpdate = new MultiLayerNetwork(conf);
        withoutLengthUpdate.init(net.params().dup(), false);

        assertTrue(maxAbsDifference(before, withoutLengthUpdate.output(probe)) > CLEARLY_CHANGED);
    }

    @Test
    void withoutThePsiKernelTheRemovalIsClearlyNotExact() {
        MultiLayerNetwork net = ScaleChannelNetworks.trained(DataType.DOUBLE);
        int conv = ScaleChannelNetworks.CONV_LAYERS[0];
        int consumer = ScaleChannelNetworks.CONSUMERS[0];
        ScaleChannelNetworks.makeConstant(net, conv, CHANNEL);
        // the removed channel's kernels in the consumer, times its constant: what the psi update adds
        INDArray shift = net.getLayer(consumer).getParam("W").dup().get(NDArrayIndex.all(),
                NDArrayIndex.point(CHANNEL), NDArrayIndex.all(), NDArrayIndex.all()).mul(0.7);
        INDArray probe = ScaleChannelNetworks.inputs(DataType.DOUBLE, 8, 5);
        INDArray before = net.output(probe).dup();
        new NetworkSurgeon(net).shrink(0, 1);

        INDArray w = net.getLayer(consumer).getParam("W").dup();
        long scaleChannel = w.size(1) - 1;
        w.get(NDArrayIndex.all(), NDArrayIndex.point(scaleChannel), NDArrayIndex.all(), NDArrayIndex.all())
                .subi(shift);
        net.getLayer(consumer).setParam("W", w);

        assertTrue(maxAbsDifference(before, net.output(probe)) > CLEARLY_CHANGED);
    }

    @Test
    void aNonConstantChannelIsRemovedWithinTheReportedBound() {
        MultiLayerNetwork net = ScaleChannelNetworks.trained(DataType.DOUBLE);
        INDArray probe = ScaleChannelNetworks.inputs(DataType.DOUBLE, 8, 5);
        INDArray before = net.output(probe).dup();

        SurgeryReport report = new NetworkSurgeon(net).shrink(1, 1);

        double change = maxAbsDifference(before, net.output(probe));
        assertTrue(change > 0 && change <= report.errorBound().orElseThrow(),
                "change " + change + ", bound " + report.errorBound());
    }

    @Test
    void theRemovalErrorIsLinearInTheRemovedSingularValue() {
        double large = removalError(1e-3);
        double small = removalError(5e-4);

        assertEquals(0.5, small / large, LINEARITY, "errors " + large + " and " + small);
    }

    @Test
    void theWidthsAfterRemovalAreOneChannelFewer() {
        MultiLayerNetwork net = ScaleChannelNetworks.trained(DataType.DOUBLE);

        new NetworkSurgeon(net).shrink(0, 2);

        assertEquals(List.of(3L, 4L), NetworkSurgeon.hiddenWidths(net));
    }

    /** Output change from removing a channel that is constant but for a small filter of the given scale. */
    private static double removalError(double scale) {
        MultiLayerNetwork net = ScaleChannelNetworks.trained(DataType.DOUBLE);
        int conv = ScaleChannelNetworks.CONV_LAYERS[1];
        INDArray filter = net.getLayer(conv).getParam("W").dup().get(NDArrayIndex.point(0)).dup();
        ScaleChannelNetworks.makeConstant(net, conv, CHANNEL);
        INDArray w = net.getLayer(conv).getParam("W").dup();
        w.get(NDArrayIndex.point(CHANNEL)).assign(filter.mul(scale / filter.norm2Number().doubleValue()));
        net.getLayer(conv).setParam("W", w);
        INDArray probe = ScaleChannelNetworks.inputs(DataType.DOUBLE, 8, 5);
        INDArray before = net.output(probe).dup();

        new NetworkSurgeon(net).shrink(1, 1);

        return maxAbsDifference(before, net.output(probe));
    }

    private static IsotropicActivationLayer activationLayer(MultiLayerNetwork net, int hidden) {
        return (IsotropicActivationLayer) net.getLayerWiseConfigurations()
                .getConf(ScaleChannelNetworks.ACTIVATION_LAYERS[hidden]).getLayer();
    }
}
