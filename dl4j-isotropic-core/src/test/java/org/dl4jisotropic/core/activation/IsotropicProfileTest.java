package org.dl4jisotropic.core.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class IsotropicProfileTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(IsotropicProfile.class)
    void scaleAndSlopeAreContinuousAcrossTheSeriesSwitch(IsotropicProfile profile) {
        double below = Math.nextDown(IsotropicProfile.SERIES_SWITCH_Q);
        double above = IsotropicProfile.SERIES_SWITCH_Q;
        INDArray q = Nd4j.createFromArray(below, above);
        INDArray scale = profile.scale(q);
        INDArray slope = profile.slope(q);
        assertEquals(scale.getDouble(0), scale.getDouble(1), 1e-13, "scale of " + profile);
        assertEquals(slope.getDouble(0), slope.getDouble(1), 1e-10 * Math.max(1, Math.abs(slope.getDouble(1))),
                "slope of " + profile);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(IsotropicProfile.class)
    void scaleAndSlopeAreFiniteFromZeroToHugeSquaredNorms(IsotropicProfile profile) {
        INDArray q = Nd4j.createFromArray(0.0, 1e-300, 1e-12, 1e-3, 1.0, 1e6, 1e300);
        assertTrue(Double.isFinite(profile.scale(q).sumNumber().doubleValue()), profile + " scale");
        assertTrue(Double.isFinite(profile.slope(q).sumNumber().doubleValue()), profile + " slope");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(IsotropicProfile.class)
    void slopeIsTheDerivativeOfTheScale(IsotropicProfile profile) {
        double h = 1e-7;
        for (double q : new double[] {2e-3, 0.3, 1.7, 9.0}) {
            INDArray at = Nd4j.createFromArray(q - h, q, q + h);
            INDArray s = profile.scale(at);
            double numeric = (s.getDouble(2) - s.getDouble(0)) / (2 * h);
            double exact = profile.slope(at).getDouble(1);
            assertEquals(numeric, exact, 1e-7 * Math.max(1, Math.abs(exact)), profile + " at q = " + q);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IsotropicProfile.class, names = {"TANH", "SHIFTED_RELU"})
    void boundedProfilesNeverLengthenAVector(IsotropicProfile profile) {
        INDArray q = Nd4j.linspace(DataType.DOUBLE, 0.0, 25.0, 101);
        INDArray s = profile.scale(q);
        assertTrue(s.minNumber().doubleValue() >= 0.0 && s.maxNumber().doubleValue() <= 1.0,
                profile + " scale outside [0, 1]");
    }
}
