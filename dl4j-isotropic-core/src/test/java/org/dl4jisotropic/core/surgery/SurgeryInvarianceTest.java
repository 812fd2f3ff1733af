package org.dl4jisotropic.core.surgery;

import static org.dl4jisotropic.core.testing.TestArrays.gaussian;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbs;
import static org.dl4jisotropic.core.testing.TestArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import java.util.stream.Stream;

import org.dl4jisotropic.core.testing.CommonsMathSvd;
import org.dl4jisotropic.core.testing.Stacks;
import org.dl4jisotropic.core.testing.Tolerances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Every function-preserving surgery leaves the logits unchanged: 1e-12 in float64, 1e-5 relative in float32. */
class SurgeryInvarianceTest {

    private static final long SEED = 17L;
    /**
     * Without the o or psi update, removing a constant neuron is visibly wrong (about 1e-2 in the method notes,
     * section 4): far above rounding, so a skipped update cannot pass for one.
     */
    private static final double VISIBLE_ERROR = 1e-4;

    static double tolerance(DataType type, INDArray logits) {
        return type == DataType.DOUBLE ? Tolerances.SURGERY_F64
                : Tolerances.FLOAT32_RELATIVE * Math.max(1.0, maxAbs(logits));
    }

    private static IsotropicStack stack(DataType type) {
        return Stacks.random(SEED, type, 9, 6, 8, 5, 7, 3);
    }

    private static INDArray probe(DataType type) {
        return gaussian(SEED + 1, type, 32, 9);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void leftDiagonalizingEveryHiddenLayerLeavesTheLogitsUnchanged(DataType type) {
        IsotropicStack stack = stack(type);
        INDArray before = stack.logits(probe(type));

        Diagonalizer.diagonalizeAllLeft(stack);

        double change = maxAbsDifference(before, stack.logits(probe(type)));
        assertTrue(change <= tolerance(type, before), () -> type + ": max logit change " + change);
    }

    @ParameterizedTest(name = "layer {0}")
    @MethodSource("hiddenLayers")
    void afterLeftDiagonalizationRowsAreOrthogonalWithTheSingularValuesAsNorms(int layer) {
        IsotropicStack stack = stack(DataType.DOUBLE);
        INDArray expected = CommonsMathSvd.singularValues(stack.layer(layer).weights().value());

        SingularSpectrum spectrum = Diagonalizer.diagonalizeLeft(stack, layer);

        INDArray w = stack.layer(layer).weights().value();
        INDArray gram = w.transpose().mmul(w);
        for (int i = 0; i < gram.rows(); i++) {
            double sigma = i < expected.length() ? expected.getDouble(i) : 0.0;
            assertEquals(sigma, spectrum.values()[i], Tolerances.SURGERY_F64, "singular value " + i);
            for (int j = 0; j < gram.columns(); j++) {
                double want = i == j ? sigma * sigma : 0.0;
                assertEquals(want, gram.getDouble(i, j), Tolerances.SURGERY_F64, "gram entry " + i + "," + j);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void alternatingFullDiagonalizationLeavesLogitsUnchangedWithMinimalNonzeros(DataType type) {
        IsotropicStack stack = stack(type);
        INDArray before = stack.logits(probe(type));

        int[] diagonal = Diagonalizer.diagonalizeAlternating(stack);

        double change = maxAbsDifference(before, stack.logits(probe(type)));
        assertTrue(change <= tolerance(type, before), () -> type + ": max logit change " + change);
        assertEquals(2, diagonal.length);
        for (int layer : diagonal) {
            INDArray w = stack.layer(layer).weights().value();
            long nonzeros = w.neq(0.0).castTo(DataType.INT).sumNumber().longValue();
            assertEquals(Math.min(w.rows(), w.columns()), nonzeros, "non-zeros of layer " + layer);
        }
    }

    static Stream<Arguments> growth() {
        return Stream.of(0, 1, 2, 3).flatMap(layer -> Stream.of(1, 3, 16).flatMap(count ->
                Stream.of(DataType.DOUBLE, DataType.FLOAT).map(type -> Arguments.of(layer, count, type))));
    }

    @ParameterizedTest(name = "layer {0}, {1} neurons, {2}")
    @MethodSource("growth")
    void growingAnyLayerByAnyCountLeavesTheLogitsUnchanged(int layer, int count, DataType type) {
        IsotropicStack stack = stack(type);
        INDArray before = stack.logits(probe(type));
        long width = stack.layer(layer).width();

        SurgeryReport report = Neurogenesis.grow(stack, layer, count, SEED);

        assertEquals(width + count, stack.layer(layer).width());
        assertEquals(width + count, report.widthAfter());
        double change = maxAbsDifference(before, stack.logits(probe(type)));
        assertTrue(change <= tolerance(type, before), () -> "layer " + layer + ", +" + count + ": " + change);
    }

    @ParameterizedTest(name = "layer {0}")
    @MethodSource("hiddenLayers")
    void scaffoldsHaveNonZeroOutgoingWeightsSoTheyCanWakeUp(int layer) {
        IsotropicStack stack = stack(DataType.DOUBLE);
        long width = stack.layer(layer).width();
        Neurogenesis.grow(stack, layer, 2, SEED);
        INDArray outgoing = stack.layer(layer + 1).weights().value();
        for (long row = width; row < width + 2; row++) {
            assertTrue(outgoing.getRow(row).norm2Number().doubleValue() > 0, "row " + row);
        }
    }

    @ParameterizedTest(name = "layer {0}, {1}")
    @MethodSource("hiddenLayersAndTypes")
    void removingAConstantNeuronIsExactWithBothUpdates(int layer, DataType type) {
        IsotropicStack stack = stack(type);
        Stacks.makeConstant(stack, layer, 2);
        INDArray before = stack.logits(probe(type));

        SurgeryReport report = Neurodegeneration.shrink(stack, layer, 1, OptionalDouble.empty());

        assertEquals(0.0, report.removedSingularValues().get(0), Tolerances.SURGERY_F64);
        double change = maxAbsDifference(before, stack.logits(probe(type)));
        assertTrue(change <= tolerance(type, before), () -> "layer " + layer + ": max logit change " + change);
    }

    @ParameterizedTest(name = "layer {0}, {1}")
    @MethodSource("hiddenLayersAndTypes")
    void removingAConstantNeuronFromAJustDiagonalizedLayerIsExactWithItsSpectrum(int layer, DataType type) {
        IsotropicStack stack = stack(type);
        Stacks.makeConstant(stack, layer, 2);
        INDArray before = stack.logits(probe(type));
        SingularSpectrum spectrum = Diagonalizer.diagonalizeLeft(stack, layer);

        SurgeryReport report = Neurodegeneration.shrinkDiagonalized(stack, layer, 1, spectrum, OptionalDouble.empty());

        assertEquals(0.0, report.removedSingularValues().get(0), Tolerances.SURGERY_F64);
        double change = maxAbsDifference(before, stack.logits(probe(type)));
        assertTrue(change <= tolerance(type, before), () -> "layer " + layer + ": max logit change " + change);
    }

    @Test
    void aSpectrumOfAnotherWidthIsRejected() {
        IsotropicStack stack = stack(DataType.DOUBLE);
        SingularSpectrum spectrum = new SingularSpectrum(new double[] {3, 2, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Neurodegeneration.shrinkDiagonalized(stack, 0, 1, spectrum, OptionalDouble.empty()));
        assertTrue(e.getMessage().contains("found 3"), e.getMessage());
    }

    /** The update a deliberately naive removal leaves out. */
    enum SkippedUpdate { INTRINSIC_LENGTH, PSI }

    static Stream<Arguments> skippedUpdates() {
        return hiddenLayers().flatMap(l -> Stream.of(SkippedUpdate.values()).map(u -> Arguments.of(l, u)));
    }

    @ParameterizedTest(name = "layer {0}, without the {1} update")
    @MethodSource("skippedUpdates")
    void removingAConstantNeuronWithoutEitherUpdateIsVisiblyWrong(int layer, SkippedUpdate skipped) {
        IsotropicStack stack = stack(DataType.DOUBLE);
        Stacks.makeConstant(stack, layer, 2);
        INDArray before = stack.logits(probe(DataType.DOUBLE));

        Neurodegeneration.remove(stack, layer, 1, OptionalDouble.empty(), skipped != SkippedUpdate.INTRINSIC_LENGTH,
                skipped != SkippedUpdate.PSI, null);

        double change = maxAbsDifference(before, stack.logits(probe(DataType.DOUBLE)));
        assertTrue(change > VISIBLE_ERROR, () -> "expected a visible error without the " + skipped + " update, found "
                + change);
    }

    @ParameterizedTest(name = "layer {0}, {1}")
    @MethodSource("hiddenLayersAndTypes")
    void growingThenShrinkingByTheSameCountRestoresTheFunctionAndIntrinsicLength(int layer, DataType type) {
        IsotropicStack stack = stack(type);
        INDArray before = stack.logits(probe(type));
        double o = stack.layer(layer).squaredLength();

        Neurogenesis.grow(stack, layer, 3, SEED);
        SurgeryReport shrink = Neurodegeneration.shrink(stack, layer, 3, OptionalDouble.empty());

        double change = maxAbsDifference(before, stack.logits(probe(type)));
        assertTrue(change <= tolerance(type, before), () -> "max logit change " + change);
        assertEquals(o, stack.layer(layer).squaredLength(),
                type == DataType.DOUBLE ? Tolerances.ROUNDING_F64 : Tolerances.ROUNDING_F32);
        assertTrue(shrink.removedSingularValues().stream().allMatch(s -> s <= Tolerances.ZERO_F32),
                "scaffolds have sigma 0");
    }

    @ParameterizedTest(name = "layer {0}")
    @MethodSource("layersWithPsi")
    void twoZeroSingularValueNeuronsWithPsiLoseOneExactlyAfterTheHouseholderStep(int layer) {
        IsotropicStack stack = stack(DataType.DOUBLE);
        Stacks.makeConstant(stack, layer, 1);
        Stacks.makeConstant(stack, layer, 3);
        INDArray psi = stack.layer(layer).psi().orElseThrow().value().dup();
        psi.putScalar(0, 1, 0.4);
        psi.putScalar(0, 3, -0.9);
        stack.layer(layer).psi().orElseThrow().setValue(psi);
        INDArray before = stack.logits(probe(DataType.DOUBLE));

        Neurodegeneration.shrink(stack, layer, 1, OptionalDouble.empty());

        double change = maxAbsDifference(before, stack.logits(probe(DataType.DOUBLE)));
        assertTrue(change <= Tolerances.SURGERY_F64, () -> "max logit change " + change);
    }

    static Stream<Integer> hiddenLayers() {
        return Stream.of(0, 1, 2, 3);
    }

    static Stream<Integer> layersWithPsi() {
        return Stream.of(1, 2, 3);
    }

    static Stream<Arguments> hiddenLayersAndTypes() {
        return hiddenLayers().flatMap(l -> Stream.of(Arguments.of(l, DataType.DOUBLE), Arguments.of(l, DataType.FLOAT)));
    }
}
