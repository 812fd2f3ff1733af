package org.dl4jisotropic.core.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IsotropicProfileTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(IsotropicProfile.class)
    void scaleAndSlopeAreContinuousAcrossTheSeriesSwitch(IsotropicProfile profile) {
        double below = Math.nextDown(IsotropicProfile.SERIES_SWITCH_Q);
        double above = IsotropicProfile.SERIES_SWITCH_Q;
        assertEquals(profile.scale(below), profile.scale(above), 1e-13, "scale of " + profile);
        assertEquals(profile.slope(below), profile.slope(above), 1e-10 * Math.max(1, Math.abs(profile.slope(above))),
                "slope of " + profile);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(IsotropicProfile.class)
    void scaleAndSlopeAreFiniteFromZeroToHugeSquaredNorms(IsotropicProfile profile) {
        for (double q : new double[] {0.0, 1e-300, 1e-12, 1e-3, 1.0, 1e6, 1e300}) {
            assertTrue(Double.isFinite(profile.scale(q)), profile + " scale at " + q);
            assertTrue(Double.isFinite(profile.slope(q)), profile + " slope at " + q);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(IsotropicProfile.class)
    void slopeIsTheDerivativeOfTheScale(IsotropicProfile profile) {
        double h = 1e-7;
        for (double q : new double[] {2e-3, 0.3, 1.7, 9.0}) {
            double numeric = (profile.scale(q + h) - profile.scale(q - h)) / (2 * h);
            double exact = profile.slope(q);
            assertEquals(numeric, exact, 1e-7 * Math.max(1, Math.abs(exact)), profile + " at q = " + q);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IsotropicProfile.class, names = {"TANH", "LOG1P"})
    void seriesBranchAgreesWithTheClosedFormJustAboveTheSwitch(IsotropicProfile profile) {
        // below the switch the series is used; evaluate the closed form in extended precision by hand
        double q = 5e-4;
        double rho = Math.sqrt(q);
        double closed = profile == IsotropicProfile.TANH ? Math.tanh(rho) / rho : Math.log1p(rho) / rho;
        assertEquals(closed, profile.scale(q), 1e-15);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IsotropicProfile.class, names = {"TANH", "SHIFTED_RELU"})
    void boundedProfilesNeverLengthenAVector(IsotropicProfile profile) {
        for (double q = 0; q <= 25.0; q += 0.25) {
            double s = profile.scale(q);
            assertTrue(s >= 0.0 && s <= 1.0, profile + " scale " + s + " at q = " + q);
        }
    }
}
