package org.dl4jisotropic.core.activation;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The closed-form vector-Jacobian product against central finite differences of the scalar loss
 * {@code L = sum(G * f(a)) + sum(Gs * s(a))}, in float64.
 */
class IsotropicKernelGradientTest {

    private static final long SEED = 77L;
    private static final double STEP = 1e-6;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (IsotropicProfile profile : IsotropicProfile.values()) {
            for (double o : new double[] {0.0, 0.4}) {
                // log1p is not differentiable twice at a = 0 when o = 0, so central differences there are only O(h)
                boolean zeroRow = !(profile == IsotropicProfile.LOG1P && o == 0.0);
                cases.add(Arguments.of(profile, o, FeatureAxis.CHANNELS_FIRST, new long[] {3, 4}, zeroRow));
                cases.add(Arguments.of(profile, o, FeatureAxis.CHANNELS_FIRST, new long[] {2, 3, 2, 2}, zeroRow));
                cases.add(Arguments.of(profile, o, FeatureAxis.CHANNELS_LAST, new long[] {2, 3, 4}, zeroRow));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, o = {1}, {2}, shape {3}, zero vector included: {4}")
    @MethodSource("cases")
    void inputGradientMatchesFiniteDifferences(IsotropicProfile profile, double o, FeatureAxis axis, long[] shape,
                                               boolean zeroRow) {
        IsotropicKernel kernel = new IsotropicKernel(profile, axis);
        INDArray a = input(shape, zeroRow);
        INDArray g = gaussian(SEED + 1, DataType.DOUBLE, shape);
        INDArray gs = gaussian(SEED + 2, DataType.DOUBLE, kernel.forward(a, o).scale().shape());

        INDArray analytic = kernel.backward(a, g, gs, o).input();

        INDArray flat = a.reshape(a.length());
        for (long i = 0; i < a.length(); i++) {
            double original = flat.getDouble(i);
            flat.putScalar(i, original + STEP);
            double plus = loss(kernel, a, g, gs, o);
            flat.putScalar(i, original - STEP);
            double minus = loss(kernel, a, g, gs, o);
            flat.putScalar(i, original);
            double numeric = (plus - minus) / (2 * STEP);
            double exact = analytic.reshape(a.length()).getDouble(i);
            long index = i;
            assertTrue(Math.abs(numeric - exact) <= Tolerances.GRADIENT_F64 * Math.max(1.0, Math.abs(exact)),
                    () -> profile + " o=" + o + " " + axis + " entry " + index + ": analytic " + exact
                            + ", numeric " + numeric);
        }
    }

    @ParameterizedTest(name = "{0}, o = {1}, {2}, shape {3}, zero vector included: {4}")
    @MethodSource("cases")
    void intrinsicLengthGradientMatchesFiniteDifferences(IsotropicProfile profile, double o, FeatureAxis axis,
                                                          long[] shape, boolean zeroRow) {
        double at = Math.max(o, 0.05);
        IsotropicKernel kernel = new IsotropicKernel(profile, axis);
        INDArray a = input(shape, zeroRow);
        INDArray g = gaussian(SEED + 1, DataType.DOUBLE, shape);
        INDArray gs = gaussian(SEED + 2, DataType.DOUBLE, kernel.forward(a, at).scale().shape());

        double exact = kernel.backward(a, g, gs, at).intrinsicLength();
        double numeric = (loss(kernel, a, g, gs, at + STEP) - loss(kernel, a, g, gs, at - STEP)) / (2 * STEP);

        assertTrue(Math.abs(numeric - exact) <= Tolerances.GRADIENT_F64 * Math.max(1.0, Math.abs(exact)),
                () -> profile + " o=" + at + " " + axis + ": analytic " + exact + ", numeric " + numeric);
    }

    private static INDArray input(long[] shape, boolean zeroRow) {
        INDArray a = gaussian(SEED, DataType.DOUBLE, shape).muli(0.9);
        if (zeroRow) {
            a.slice(0).assign(0.0);   // the whole first example: every vector of it is the origin
        }
        return a;
    }

    private static double loss(IsotropicKernel kernel, INDArray a, INDArray g, INDArray gs, double o) {
        IsotropicForward forward = kernel.forward(a, o);
        return forward.output().mul(g).sumNumber().doubleValue() + forward.scale().mul(gs).sumNumber().doubleValue();
    }
}
