package org.dl4jisotropic.core.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class IsotropicProfileTest {

    /** The scale is a few roundings of a smooth, well-conditioned function on either side of the switch. */
    private static final double SCALE_RELATIVE = 1e-15;
    /**
     * The closed-form slope loses about {@code eps / q} to cancellation, 2e-13 of its size just above the switch
     * at q = 1e-3; the series below it is truncated at about the same size (see the profile's implementation note).
     */
    private static final double SLOPE_RELATIVE = 1e-12;
    /** Central difference step in q, and its relative agreement with the analytic slope (error O(h^2) + eps/h). */
    private static final double FINITE_DIFFERENCE_STEP = 1e-7;
    private static final double FINITE_DIFFERENCE_RELATIVE = 1e-7;
    /** Decimal digits of the BigDecimal oracle: far more than double's 16, so its own error is negligible. */
    private static final MathContext ORACLE = new MathContext(60);

    /**
     * Points around and below the series switch: deep inside the series, a relative 1e-6 below and above the
     * switch, one ulp either side of it, and well inside the closed form.
     */
    private static DoubleStream pointsAroundTheSwitch() {
        double q = IsotropicProfile.SERIES_SWITCH_Q;
        return DoubleStream.of(1e-12, 1e-8, 1e-5, 5e-4, q * (1 - 1e-6), Math.nextDown(q), q, Math.nextUp(q),
                q * (1 + 1e-6), 2e-3, 1e-2, 0.5, 3.0);
    }

    /** Every profile method that switches to a series, with its BigDecimal oracle. */
    static Stream<Arguments> seriesBranches() {
        return Stream.of(
                Arguments.of("TANH scale", (DoubleUnaryOperator) IsotropicProfile.TANH::scale,
                        (DoubleUnaryOperator) IsotropicProfileTest::tanhScale, SCALE_RELATIVE),
                Arguments.of("TANH slope", (DoubleUnaryOperator) IsotropicProfile.TANH::slope,
                        (DoubleUnaryOperator) IsotropicProfileTest::tanhSlope, SLOPE_RELATIVE),
                Arguments.of("LOG1P slope", (DoubleUnaryOperator) IsotropicProfile.LOG1P::slope,
                        (DoubleUnaryOperator) IsotropicProfileTest::log1pSlope, SLOPE_RELATIVE),
                // LOG1P's scale has no series branch; its closed form is checked at the same points
                Arguments.of("LOG1P scale", (DoubleUnaryOperator) IsotropicProfile.LOG1P::scale,
                        (DoubleUnaryOperator) IsotropicProfileTest::log1pScale, SCALE_RELATIVE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seriesBranches")
    void seriesAndClosedFormBranchesMatchAHighPrecisionOracleOnBothSidesOfTheSwitch(String name,
            DoubleUnaryOperator profile, DoubleUnaryOperator oracle, double relative) {
        pointsAroundTheSwitch().forEach(q -> {
            double expected = oracle.applyAsDouble(q);
            double actual = profile.applyAsDouble(q);
            assertEquals(expected, actual, relative * Math.abs(expected), name + " at q = " + q);
        });
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
        double h = FINITE_DIFFERENCE_STEP;
        for (double q : new double[] {2e-3, 0.3, 1.7, 9.0}) {
            double numeric = (profile.scale(q + h) - profile.scale(q - h)) / (2 * h);
            double exact = profile.slope(q);
            assertEquals(numeric, exact, FINITE_DIFFERENCE_RELATIVE * Math.max(1, Math.abs(exact)),
                    profile + " at q = " + q);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IsotropicProfile.class, names = {"TANH", "SHIFTED_RELU"})
    void boundedProfilesNeverLengthenAVector(IsotropicProfile profile) {
        for (double q = 0; q <= 25.0; q += 0.25) {
            double s = profile.scale(q);
            assertTrue(s >= 0.0 && s <= 1.0, profile + " scale " + s + " at q = " + q);
        }
    }

    // ---- BigDecimal oracle: tanh and log(1 + x) from their defining series, never from the profile's formulas

    /** tanh(rho) / rho. */
    private static double tanhScale(double q) {
        BigDecimal rho = rho(q);
        return tanh(rho).divide(rho, ORACLE).doubleValue();
    }

    /** d/dq of tanh(rho)/rho = (sech^2(rho) - tanh(rho)/rho) / (2q), with sech^2 = 1 - tanh^2. */
    private static double tanhSlope(double q) {
        BigDecimal rho = rho(q);
        BigDecimal t = tanh(rho);
        BigDecimal numerator = BigDecimal.ONE.subtract(t.multiply(t, ORACLE)).subtract(t.divide(rho, ORACLE));
        return numerator.divide(BigDecimal.valueOf(2).multiply(new BigDecimal(q)), ORACLE).doubleValue();
    }

    /** log(1 + rho) / rho. */
    private static double log1pScale(double q) {
        BigDecimal rho = rho(q);
        return log1p(rho).divide(rho, ORACLE).doubleValue();
    }

    /** d/dq of log(1 + rho)/rho = (rho/(1+rho) - log(1+rho)) / (2 rho^3). */
    private static double log1pSlope(double q) {
        BigDecimal rho = rho(q);
        BigDecimal numerator = rho.divide(BigDecimal.ONE.add(rho), ORACLE).subtract(log1p(rho));
        return numerator.divide(BigDecimal.valueOf(2).multiply(rho.pow(3), ORACLE), ORACLE).doubleValue();
    }

    private static BigDecimal rho(double q) {
        return new BigDecimal(q).sqrt(ORACLE);
    }

    /** tanh(x) = (e^(2x) - 1) / (e^(2x) + 1), with e^y from its Taylor series (y small here). */
    private static BigDecimal tanh(BigDecimal x) {
        BigDecimal y = x.multiply(BigDecimal.valueOf(2));
        BigDecimal expMinusOne = BigDecimal.ZERO;
        BigDecimal term = BigDecimal.ONE;
        for (int k = 1; term.abs().compareTo(BigDecimal.ONE.movePointLeft(ORACLE.getPrecision() + 5)) > 0
                || k < 3; k++) {
            term = term.multiply(y, ORACLE).divide(BigDecimal.valueOf(k), ORACLE);
            expMinusOne = expMinusOne.add(term, ORACLE);
        }
        return expMinusOne.divide(expMinusOne.add(BigDecimal.valueOf(2)), ORACLE);
    }

    /** log(1 + x) = 2 atanh(z) = 2 (z + z^3/3 + z^5/5 + ...), z = x / (2 + x) in [0, 1). */
    private static BigDecimal log1p(BigDecimal x) {
        BigDecimal z = x.divide(BigDecimal.valueOf(2).add(x), ORACLE);
        BigDecimal z2 = z.multiply(z, ORACLE);
        BigDecimal power = z;
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal smallest = BigDecimal.ONE.movePointLeft(ORACLE.getPrecision() + 5);
        for (int k = 1; power.compareTo(smallest) > 0; k += 2) {
            sum = sum.add(power.divide(BigDecimal.valueOf(k), ORACLE), ORACLE);
            power = power.multiply(z2, ORACLE);
        }
        return sum.multiply(BigDecimal.valueOf(2));
    }
}
