package org.dl4jisotropic.layers.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.linalg.Svd;
import org.dl4jisotropic.core.surgery.IsotropicStack;
import org.dl4jisotropic.core.surgery.NonOrthogonalRotationException;
import org.dl4jisotropic.core.testing.FaultyBackends;
import org.dl4jisotropic.core.testing.TestArrays;
import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Surgery with a native SVD that fails the way OpenBLAS does on some AVX-512 CPUs, injected so that the proof holds on
 * any machine: the fault is caught and replaced, and with the replacement switched off the last line of defence
 * refuses to install the rotation and leaves the network bit-identical.
 */
class FaultyDecompositionTest {

    /** Max output change of a function-preserving operation, float64 (method.md section 10). */
    private static final double EXACT = Tolerances.SURGERY_F64;
    /** An off-diagonal entry of I that makes it non-orthogonal by exactly this much, 100x the accepted 1e-10. */
    private static final double SKEW = 1e-8;

    private static MultiLayerNetwork network() {
        return SurgeryNetworks.trained(DataType.DOUBLE, new Adam(1e-2), 3);
    }

    private static INDArray probe() {
        return SurgeryNetworks.inputs(DataType.DOUBLE, 32, 9);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(FaultyBackends.class)
    void withTheFallbackEveryDiagonalizationStaysExact(FaultyBackends fault) {
        MultiLayerNetwork net = network();
        INDArray before = net.output(probe());

        try (Svd.Restore restore = Svd.useBackend(fault, Svd.Fallback.JVM)) {
            NetworkSurgeon surgeon = new NetworkSurgeon(net);
            surgeon.diagonalizeAllLeft();
            surgeon.diagonalizeAlternating();
            surgeon.grow(1, 2, 5L);
        }

        double change = maxAbsDifference(before, net.output(probe()));
        assertTrue(change <= EXACT, () -> fault + ": max output change " + change);
    }

    @Test
    void withTheFallbackDisabledTheInstallationCheckRefusesAndNothingChanges() {
        MultiLayerNetwork net = network();
        String configuration = net.getLayerWiseConfigurations().toJson();
        INDArray parameters = net.params().dup();
        INDArray state = net.getUpdater().getStateViewArray().dup();

        NonOrthogonalRotationException e;
        try (Svd.Restore restore = Svd.useBackend(FaultyBackends.NON_ORTHOGONAL_U, Svd.Fallback.DISABLED)) {
            e = assertThrows(NonOrthogonalRotationException.class, () -> new NetworkSurgeon(net).diagonalizeLeft(1));
        }

        assertEquals(1, e.layer());
        assertTrue(e.deviation() > 0.1, () -> "measured deviation " + e.deviation());
        assertTrue(e.getMessage().contains("hidden layer 1"), e.getMessage());
        assertEquals(configuration, net.getLayerWiseConfigurations().toJson());
        assertEquals(parameters, net.params());
        assertEquals(state, net.getUpdater().getStateViewArray());
    }

    @Test
    void aUserRotationThatIsNotOrthogonalIsRefusedNamingTheLayer() {
        MultiLayerNetwork net = network();
        INDArray parameters = net.params().dup();
        INDArray almost = Nd4j.eye(6).castTo(DataType.DOUBLE);
        almost.putScalar(0, 1, SKEW);

        NonOrthogonalRotationException e = assertThrows(NonOrthogonalRotationException.class,
                () -> new NetworkSurgeon(net).rotate(1, almost));

        assertEquals(SKEW, e.deviation(), Tolerances.ROUNDING_F64);
        assertEquals(IsotropicStack.DOUBLE_ROTATION_TOLERANCE, e.tolerance());
        assertEquals(parameters, net.params());
    }

    @Test
    void aFloatRotationIsHeldToFloatPrecision() {
        MultiLayerNetwork net = network();
        INDArray before = net.output(probe());
        INDArray rotation = TestArrays.randomOrthogonal(6L, 6, DataType.FLOAT);

        new NetworkSurgeon(net).rotate(1, rotation);

        double change = maxAbsDifference(before, net.output(probe()));
        assertTrue(change <= Tolerances.FLOAT32_RELATIVE, () -> "max output change " + change);
    }
}
