package org.dl4jisotropic.core.activation;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbs;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.dl4jisotropic.core.testing.TestArrays.randomOrthogonal;
import static org.dl4jisotropic.core.testing.TestArrays.rotateAlong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class IsotropicKernelTest {

    private static final long SEED = 20260228L;

    /** Every profile, with and without intrinsic length, on every layout the axis supports. */
    static Stream<Arguments> layouts() {
        List<Arguments> cases = new ArrayList<>();
        for (IsotropicProfile profile : IsotropicProfile.values()) {
            for (double o : new double[] {0.0, 0.7}) {
                cases.add(Arguments.of(profile, o, FeatureAxis.CHANNELS_FIRST, new long[] {6, 9}));
                cases.add(Arguments.of(profile, o, FeatureAxis.CHANNELS_FIRST, new long[] {3, 5, 4, 2}));
                cases.add(Arguments.of(profile, o, FeatureAxis.CHANNELS_FIRST, new long[] {3, 7, 4}));
                cases.add(Arguments.of(profile, o, FeatureAxis.CHANNELS_LAST, new long[] {3, 4, 2, 5}));
                cases.add(Arguments.of(profile, o, FeatureAxis.CHANNELS_LAST, new long[] {3, 4, 7}));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, o = {1}, {2}, shape {3}")
    @MethodSource("layouts")
    void rotatingTheInputRotatesTheOutputInFloat64(IsotropicProfile profile, double o, FeatureAxis axis,
                                                    long[] shape) {
        IsotropicKernel kernel = new IsotropicKernel(profile, axis);
        INDArray a = gaussian(SEED, DataType.DOUBLE, shape).muli(0.8);
        int dim = axis.dimension(shape.length);
        INDArray r = randomOrthogonal(SEED + 1, (int) shape[dim], DataType.DOUBLE);

        INDArray rotatedThenActivated = kernel.forward(rotateAlong(a, dim, r), o).output();
        INDArray activatedThenRotated = rotateAlong(kernel.forward(a, o).output(), dim, r);

        double error = maxAbsDifference(rotatedThenActivated, activatedThenRotated);
        assertTrue(error <= Tolerances.EQUIVARIANCE_F64,
                () -> profile + " o=" + o + " " + axis + ": |f(Ra) - Rf(a)| = " + error);
    }

    @ParameterizedTest(name = "{0}, o = {1}, {2}, shape {3}")
    @MethodSource("layouts")
    void rotatingTheInputRotatesTheOutputInFloat32(IsotropicProfile profile, double o, FeatureAxis axis,
                                                    long[] shape) {
        IsotropicKernel kernel = new IsotropicKernel(profile, axis);
        INDArray a = gaussian(SEED, DataType.FLOAT, shape).muli(0.8);
        int dim = axis.dimension(shape.length);
        INDArray r = randomOrthogonal(SEED + 1, (int) shape[dim], DataType.FLOAT);

        INDArray rotatedThenActivated = kernel.forward(rotateAlong(a, dim, r), o).output();
        INDArray activatedThenRotated = rotateAlong(kernel.forward(a, o).output(), dim, r);

        double error = maxAbsDifference(rotatedThenActivated, activatedThenRotated);
        assertTrue(error <= Tolerances.FLOAT32_RELATIVE * Math.max(1.0, maxAbs(activatedThenRotated)),
                () -> profile + " o=" + o + " " + axis + ": |f(Ra) - Rf(a)| = " + error);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(IsotropicProfile.class)
    void forwardMatchesThePerRowFormulaComputedInPlainJava(IsotropicProfile profile) {
        double o = 0.3;
        INDArray a = gaussian(SEED, DataType.DOUBLE, 5, 4).muli(1.5);
        a.getRow(0).assign(0.0);
        INDArray out = new IsotropicKernel(profile, FeatureAxis.CHANNELS_FIRST).forward(a, o).output();
        for (int i = 0; i < a.rows(); i++) {
            double[] row = a.getRow(i).toDoubleVector();
            double q = o;
            for (double v : row) {
                q += v * v;
            }
            double rho = Math.sqrt(q);
            double s = reference(profile, rho) / rho;
            for (int j = 0; j < row.length; j++) {
                assertEquals(s * row[j], out.getDouble(i, j), Tolerances.SAME_FORMULA_F64,
                        profile + " row " + i + " column " + j);
            }
        }
    }

    static Stream<Arguments> profilesAndTypes() {
        List<Arguments> cases = new ArrayList<>();
        for (IsotropicProfile profile : IsotropicProfile.values()) {
            for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                for (boolean inPlace : new boolean[] {false, true}) {
                    cases.add(Arguments.of(profile, type, inPlace));
                }
            }
        }
        return cases.stream();
    }

    /** Rows of norm about 0.3, 1.5 and 3: the shifted ReLU's scale vanishes on the first (its unfused branch). */
    @ParameterizedTest(name = "{0} {1} in place {2}")
    @MethodSource("profilesAndTypes")
    void backwardMatchesThePerRowFormulaComputedInPlainJava(IsotropicProfile profile, DataType type,
                                                            boolean inPlace) {
        double o = 0.3;
        INDArray a = gaussian(SEED, DataType.DOUBLE, 6, 5);
        INDArray rowNorms = a.norm2(true, 1);
        a.diviColumnVector(rowNorms).muliColumnVector(Nd4j.createFromArray(0.3, 1.5, 3.0, 0.3, 1.5, 3.0)
                .reshape(6, 1));
        a = a.castTo(type);
        INDArray g = gaussian(SEED + 1, type, 6, 5);
        INDArray gs = gaussian(SEED + 2, type, 6, 1);
        double[][] expected = referenceGradient(profile, a.castTo(DataType.DOUBLE), g.castTo(DataType.DOUBLE),
                gs.castTo(DataType.DOUBLE), o);
        IsotropicKernel kernel = new IsotropicKernel(profile, FeatureAxis.CHANNELS_FIRST);
        INDArray input = a.dup();

        INDArray gradient = inPlace ? kernel.backwardInPlace(input, g, gs, o).input()
                : kernel.backward(input, g, gs, o).input();

        double largest = Arrays.stream(expected).flatMapToDouble(Arrays::stream).map(Math::abs).max().orElseThrow();
        double tolerance = type == DataType.DOUBLE ? Tolerances.SAME_FORMULA_F64 * Math.max(1.0, largest)
                : Tolerances.FLOAT32_RELATIVE * largest;
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(expected[i][j], gradient.getDouble(i, j), tolerance,
                        profile + " " + type + " row " + i + " column " + j);
            }
        }
        assertEquals(inPlace, gradient == input, "in place writes into its input and only then");
        if (!inPlace) {
            assertEquals(a, input, "backward must leave its input unchanged");
        }
    }

    @Test
    void backwardInPlaceLeavesItsInputUnchangedWhenTheGradientIsRejected() {
        INDArray a = gaussian(SEED, DataType.FLOAT, 3, 4);
        INDArray copy = a.dup();
        INDArray g = gaussian(SEED + 1, DataType.FLOAT, 3, 4);
        g.putScalar(2, 1, Float.NaN);
        IsotropicKernel kernel = new IsotropicKernel(IsotropicProfile.TANH, FeatureAxis.CHANNELS_FIRST);
        assertThrows(IllegalArgumentException.class, () -> kernel.backwardInPlace(a, g, null, 0.0));
        assertEquals(copy, a);
    }

    /** {@code s g + 2 s'(q) (a . g + gs) a} row by row, with s' from the profile's derivative in plain Java. */
    private static double[][] referenceGradient(IsotropicProfile profile, INDArray a, INDArray g, INDArray gs,
                                                double o) {
        double[][] out = new double[(int) a.rows()][(int) a.columns()];
        for (int i = 0; i < a.rows(); i++) {
            double[] row = a.getRow(i).toDoubleVector();
            double[] up = g.getRow(i).toDoubleVector();
            double q = o;
            double dot = gs.getDouble(i, 0);
            for (int j = 0; j < row.length; j++) {
                q += row[j] * row[j];
                dot += row[j] * up[j];
            }
            double r = Math.sqrt(q);
            double s = reference(profile, r) / r;
            double slope = (referenceDerivative(profile, r) * r - reference(profile, r)) / (2 * r * r * r);
            for (int j = 0; j < row.length; j++) {
                out[i][j] = s * up[j] + 2 * slope * dot * row[j];
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(IsotropicProfile.class)
    void outputIsFiniteAndScaleIsOneOrZeroAtTheOrigin(IsotropicProfile profile) {
        INDArray zero = Nd4j.zeros(DataType.DOUBLE, 2, 5);
        IsotropicForward result = new IsotropicKernel(profile, FeatureAxis.CHANNELS_FIRST).forward(zero, 0.0);
        assertEquals(0.0, maxAbs(result.output()), Tolerances.IDENTICAL);
        double expected = profile == IsotropicProfile.SHIFTED_RELU ? 0.0 : 1.0;
        assertEquals(expected, result.scale().getDouble(0, 0), Tolerances.ROUNDING_F64, profile.toString());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(IsotropicProfile.class)
    void forwardDoesNotModifyItsInput(IsotropicProfile profile) {
        INDArray a = gaussian(SEED, DataType.DOUBLE, 4, 6);
        INDArray copy = a.dup();
        new IsotropicKernel(profile, FeatureAxis.CHANNELS_FIRST).forward(a, 0.2);
        new IsotropicKernel(profile, FeatureAxis.CHANNELS_FIRST).backward(a, a, 0.2);
        assertEquals(copy, a);
    }

    @Test
    void hugeFloatNormsGiveUnitLengthOutputsInsteadOfOverflowing() {
        INDArray a = gaussian(SEED, DataType.FLOAT, 3, 8).muli(1e30f);
        IsotropicForward result = new IsotropicKernel(IsotropicProfile.TANH, FeatureAxis.CHANNELS_FIRST).forward(a, 0);
        INDArray norms = result.output().norm2(1);
        for (int i = 0; i < 3; i++) {
            assertEquals(1.0, norms.getDouble(i), Tolerances.ZERO_F32, "row " + i);
        }
        INDArray gradient = new IsotropicKernel(IsotropicProfile.TANH, FeatureAxis.CHANNELS_FIRST)
                .backward(a, a.div(1e30f), 0).input();
        assertTrue(Double.isFinite(gradient.sumNumber().doubleValue()), "gradient must stay finite");
    }

    @Test
    void nanInputIsRejectedWithAMessageNamingIt() {
        INDArray a = gaussian(SEED, DataType.FLOAT, 2, 3);
        a.putScalar(1, 2, Float.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new IsotropicKernel(IsotropicProfile.TANH, FeatureAxis.CHANNELS_FIRST).forward(a, 0));
        assertTrue(e.getMessage().contains("pre-activation input must be finite"), e.getMessage());
    }

    @Test
    void infiniteUpstreamGradientIsRejectedWithAMessageNamingIt() {
        INDArray a = gaussian(SEED, DataType.DOUBLE, 2, 3);
        INDArray g = a.dup();
        g.putScalar(0, 0, Double.POSITIVE_INFINITY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new IsotropicKernel(IsotropicProfile.TANH, FeatureAxis.CHANNELS_FIRST).backward(a, g, 0));
        assertTrue(e.getMessage().contains("upstream gradient must be finite"), e.getMessage());
    }

    @Test
    void rankOneInputIsRejectedWithAMessageNamingTheRank() {
        INDArray a = Nd4j.ones(DataType.DOUBLE, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new IsotropicKernel(IsotropicProfile.TANH, FeatureAxis.CHANNELS_FIRST).forward(a, 0));
        assertTrue(e.getMessage().contains("rank >= 2") && e.getMessage().contains("found rank 1"), e.getMessage());
    }

    @Test
    void negativeIntrinsicLengthIsRejected() {
        INDArray a = Nd4j.ones(DataType.DOUBLE, 2, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new IsotropicKernel(IsotropicProfile.TANH, FeatureAxis.CHANNELS_FIRST).forward(a, -1e-3));
        assertTrue(e.getMessage().contains("o must be finite and >= 0, found -0.001"), e.getMessage());
    }

    @Test
    void integerInputIsRejected() {
        INDArray a = Nd4j.ones(DataType.INT, 2, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new IsotropicKernel(IsotropicProfile.TANH, FeatureAxis.CHANNELS_FIRST).forward(a, 0));
        assertTrue(e.getMessage().contains("FLOAT, DOUBLE or HALF"), e.getMessage());
    }

    @Test
    void upstreamGradientOfAnotherShapeIsRejected() {
        INDArray a = Nd4j.ones(DataType.DOUBLE, 2, 4);
        INDArray g = Nd4j.ones(DataType.DOUBLE, 2, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new IsotropicKernel(IsotropicProfile.TANH, FeatureAxis.CHANNELS_FIRST).backward(a, g, 0));
        assertTrue(e.getMessage().contains("[2, 4]") && e.getMessage().contains("[2, 5]"), e.getMessage());
    }

    static double referenceDerivative(IsotropicProfile profile, double r) {
        switch (profile) {
            case TANH:
                return 1 - Math.tanh(r) * Math.tanh(r);
            case LOG1P:
                return 1 / (1 + r);
            case SHIFTED_RELU:
                return r > 1.0 ? 1.0 : 0.0;
            default:
                throw new IllegalArgumentException(profile.toString());
        }
    }

    static double reference(IsotropicProfile profile, double r) {
        switch (profile) {
            case TANH:
                return Math.tanh(r);
            case LOG1P:
                return Math.log1p(r);
            case SHIFTED_RELU:
                return Math.max(r - 1.0, 0.0);
            default:
                throw new IllegalArgumentException(profile.toString());
        }
    }
}
