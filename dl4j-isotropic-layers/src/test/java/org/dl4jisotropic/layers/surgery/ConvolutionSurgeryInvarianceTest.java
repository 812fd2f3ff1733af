package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.dl4jisotropic.core.testing.TestArrays.randomOrthogonal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Channel surgery on convolutional networks leaves the function unchanged: for every supported layer combination
 * ({@link ConvNetworks}) and every hidden layer, a random rotation, left diagonalization and growth keep DL4J's own
 * outputs to {@link Tolerances#SURGERY_F64} in float64 and {@link Tolerances#FLOAT32_RELATIVE} in float32.
 */
class ConvolutionSurgeryInvarianceTest {

    private static final int PROBE_ROWS = 6;

    @ParameterizedTest
    @EnumSource(ConvNetworks.class)
    void aRandomRotationOfEveryHiddenLayerKeepsTheOutputsInDouble(ConvNetworks shape) {
        assertUnchanged(shape, DataType.DOUBLE, Tolerances.SURGERY_F64, (surgeon, layer, width) ->
                surgeon.rotate(layer, randomOrthogonal(40 + layer, width, DataType.DOUBLE)));
    }

    @ParameterizedTest
    @EnumSource(ConvNetworks.class)
    void leftDiagonalizationOfEveryHiddenLayerKeepsTheOutputsInDouble(ConvNetworks shape) {
        assertUnchanged(shape, DataType.DOUBLE, Tolerances.SURGERY_F64,
                (surgeon, layer, width) -> surgeon.diagonalizeLeft(layer));
    }

    @ParameterizedTest
    @EnumSource(ConvNetworks.class)
    void growingEveryHiddenLayerKeepsTheOutputsInDouble(ConvNetworks shape) {
        assertUnchanged(shape, DataType.DOUBLE, Tolerances.SURGERY_F64,
                (surgeon, layer, width) -> surgeon.grow(layer, 2, 9));
    }

    @ParameterizedTest
    @EnumSource(ConvNetworks.class)
    void aRandomRotationKeepsTheOutputsInFloat(ConvNetworks shape) {
        assertUnchanged(shape, DataType.FLOAT, Tolerances.FLOAT32_RELATIVE, (surgeon, layer, width) ->
                surgeon.rotate(layer, randomOrthogonal(40 + layer, width, DataType.FLOAT)));
    }

    @ParameterizedTest
    @EnumSource(ConvNetworks.class)
    void growingAddsChannelsToTheLayerAndNothingElse(ConvNetworks shape) {
        MultiLayerNetwork net = shape.trained(DataType.DOUBLE);
        List<Long> before = NetworkSurgeon.hiddenWidths(net);

        new NetworkSurgeon(net).grow(0, 3, 5);

        assertEquals(List.of(before.get(0) + 3, before.get(1)), NetworkSurgeon.hiddenWidths(net));
    }

    /** An operation on hidden layer {@code layer}, whose width is {@code width}. */
    @FunctionalInterface
    private interface Operation {
        void apply(NetworkSurgeon surgeon, int layer, int width);
    }

    private static void assertUnchanged(ConvNetworks shape, DataType type, double tolerance, Operation operation) {
        for (int layer = 0; layer < 2; layer++) {
            MultiLayerNetwork net = shape.trained(type);
            INDArray probe = shape.inputs(type, PROBE_ROWS, 99);
            INDArray before = net.output(probe).dup();
            int width = NetworkSurgeon.hiddenWidths(net).get(layer).intValue();

            operation.apply(new NetworkSurgeon(net), layer, width);

            double change = maxAbsDifference(before, net.output(probe));
            double scale = type == DataType.DOUBLE ? 1.0 : before.amaxNumber().doubleValue();
            assertTrue(change <= tolerance * scale, shape + ", hidden layer " + layer + ": output changed by "
                    + change);
        }
    }
}
