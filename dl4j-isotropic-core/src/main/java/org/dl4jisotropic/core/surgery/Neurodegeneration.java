package org.dl4jisotropic.core.surgery;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Removes the least important neurons of a hidden layer, compensating exactly for the part they contributed as a
 * constant.
 *
 * <p>After left-partial diagonalization the last neuron has the smallest singular value s*. With
 * {@code b* = b_last}, {@code w* = (the rows of W_{l+1} through which the last neuron enters: one row for a dense next
 * layer, k for a next layer of input multiplicity k)}, remove that column of W_l, b_l, psi_l and those rows of
 * W_{l+1}, then
 * <pre>
 *   o_l <- o_l + b*^2          psi_{l+1} <- psi_{l+1} + b* w*
 * </pre>
 * When s* = 0 and the neuron's psi entry is 0, the neuron was the constant b*: the first update keeps the norm, the
 * second keeps its contribution to the next layer, and the function is unchanged to rounding. Otherwise the logits
 * change by at most {@link ErrorBound} (linear in s*). Neurons are removed from the last one up. If several neurons
 * of a layer with input multiplicity 1 have singular value 0, a Householder reflection inside that null block first
 * moves their whole psi component onto the first of them, so the others can go exactly. (With multiplicity k &gt; 1 psi
 * has k rows and no single reflection concentrates it; there several null neurons with different psi columns are
 * removed within the error bound, not exactly.)
 */
public final class Neurodegeneration {

    /** Singular values at most this (relative to the layer's largest, or absolute below 1) count as zero. */
    public static final double NULL_TOLERANCE = 1e-12;

    private Neurodegeneration() {
    }

    /**
     * Removes the {@code count} smallest-singular-value neurons of a hidden layer.
     *
     * @param stack          the network. Modified.
     * @param layer          hidden layer index; the layer must emit its scale to the next layer and have intrinsic
     *                       length mode CONSTANT or TRAINABLE
     * @param count          neurons to remove; in [1, width - 1]
     * @param inputNormBound bound on the norm of the layer's input for the error bound, if known
     * @return the report with the removed singular values and the error bound
     * @throws IllegalArgumentException if the layer cannot take removals (naming why) or count is out of range
     */
    public static SurgeryReport shrink(IsotropicStack stack, int layer, int count, OptionalDouble inputNormBound) {
        return remove(stack, layer, count, inputNormBound, true, true, null);
    }

    /**
     * As {@link #shrink}, for a layer that was just left-diagonalized (its neurons in order of importance), with the
     * spectrum that diagonalization returned: skips diagonalizing again, which would cost a second SVD and rotation
     * and change nothing but signs.
     *
     * @param spectrum the spectrum returned by {@link Diagonalizer#diagonalizeLeft} for this layer, with nothing
     *                 changed in the layer since
     * @throws IllegalArgumentException as for {@link #shrink}, or if the spectrum's length is not the layer's width
     */
    public static SurgeryReport shrinkDiagonalized(IsotropicStack stack, int layer, int count,
                                                   SingularSpectrum spectrum, OptionalDouble inputNormBound) {
        if (spectrum.values().length != stack.layer(layer).width()) {
            throw new IllegalArgumentException("spectrum of layer " + layer + " must have one value per neuron ("
                    + stack.layer(layer).width() + "), found " + spectrum.values().length);
        }
        return remove(stack, layer, count, inputNormBound, true, true, spectrum);
    }

    /** Checks that a layer can take {@code count} removals, before anything changes. */
    public static void requireRemovable(IsotropicStack stack, int layer, int count) {
        requireShrinkable(stack, layer);
        long width = stack.layer(layer).width();
        if (count < 1 || count >= width) {
            throw new IllegalArgumentException("number of neurons to remove from layer " + layer + " must be in [1, "
                    + (width - 1) + "] (width " + width + "), found " + count);
        }
    }

    /**
     * Checks that a layer's structure allows removals at all: it passes its scale to the next layer (psi) and has a
     * constant or trainable intrinsic length.
     *
     * @throws IllegalArgumentException naming the reason and the remedy
     */
    public static void requireShrinkable(IsotropicStack stack, int layer) {
        stack.requireHidden(layer);
        LinearBlock block = stack.layer(layer);
        if (!block.emitsScale()) {
            throw new IllegalArgumentException("layer " + layer + " does not pass its scale to the next layer, so a "
                    + "removed neuron's constant part cannot be kept (no psi); use IsotropicDenseLayer for layers that "
                    + "shrink");
        }
        if (block.intrinsicLength().mode() == IntrinsicLength.Mode.NONE) {
            throw new IllegalArgumentException("layer " + layer + " has intrinsic length mode NONE, so a removed "
                    + "neuron's constant part cannot move into the norm; use IntrinsicLength.constant(...) or "
                    + "trainable(...)");
        }
    }

    /** The removal with either update switchable, so that tests can show both are needed. */
    static SurgeryReport remove(IsotropicStack stack, int layer, int count, OptionalDouble inputNormBound,
                                boolean updateLength, boolean updatePsi, SingularSpectrum diagonalized) {
        requireRemovable(stack, layer, count);
        LinearBlock block = stack.layer(layer);
        LinearBlock next = stack.layer(layer + 1);
        long width = block.width();
        double[] sigma = (diagonalized != null ? diagonalized : Diagonalizer.diagonalizeLeft(stack, layer)).values();
        concentratePsiInNullBlock(stack, layer, sigma);

        double[] removed = new double[count];
        double psiSquares = 0;
        long k = next.multiplicity();
        INDArray psiShift = Nd4j.zeros(next.weights().value().dataType(), k, next.width());
        double lengthShift = 0;
        List<Double> removedList = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long j = width - 1 - i;
            removed[i] = sigma[(int) j];
            removedList.add(sigma[(int) j]);
            double bStar = block.bias().value().getDouble(0, j);
            if (block.psi().isPresent()) {
                INDArray p = block.psi().get().value().getColumn(j);
                psiSquares += p.mul(p).sumNumber().doubleValue();
            }
            // the k rows through which neuron j enters the next layer (one per kernel tap or flattened position)
            INDArray wStar = next.weights().value().get(NDArrayIndex.interval(j * k, (j + 1) * k), NDArrayIndex.all());
            psiShift.addi(wStar.mul(bStar));
            lengthShift += bStar * bStar;
        }
        OptionalDouble bound = ErrorBound.forRemoval(stack, layer, removed, Math.sqrt(psiSquares), inputNormBound);

        long kept = width - count;
        block.weights().keepColumns(kept);
        block.bias().keepColumns(kept);
        block.psi().ifPresent(p -> p.keepColumns(kept));
        next.weights().keepRows(kept * k);
        if (updateLength) {
            block.addToSquaredLength(lengthShift);
        }
        if (updatePsi) {
            TrackedParameter nextPsi = next.psi().orElseThrow();
            nextPsi.setValue(nextPsi.value().add(psiShift));
        }
        return new SurgeryReport(layer, SurgeryOperation.SHRINK, count, width, kept, removedList, bound,
                OptionalDouble.empty());
    }

    /**
     * If two or more neurons have (numerically) zero singular value, reflect inside that block so that the psi vector
     * restricted to it lies on its first neuron: p H = ||p|| e_1 with H = I - 2 v v^T / (v^T v), v = p - ||p|| e_1.
     */
    private static void concentratePsiInNullBlock(IsotropicStack stack, int layer, double[] sigma) {
        LinearBlock block = stack.layer(layer);
        if (block.psi().isEmpty() || block.multiplicity() != 1) {
            return;
        }
        double tolerance = NULL_TOLERANCE * Math.max(1.0, sigma[0]);
        int first = sigma.length;
        while (first > 0 && sigma[first - 1] <= tolerance) {
            first--;
        }
        int size = sigma.length - first;
        if (size < 2) {
            return;
        }
        double[] p = new double[size];
        double norm = 0;
        for (int i = 0; i < size; i++) {
            p[i] = block.psi().get().value().getDouble(0, first + i);
            norm += p[i] * p[i];
        }
        norm = Math.sqrt(norm);
        double[] v = p.clone();
        v[0] -= norm;
        double vv = 0;
        for (double x : v) {
            vv += x * x;
        }
        if (norm == 0 || vv <= NULL_TOLERANCE * NULL_TOLERANCE * norm * norm) {
            return;
        }
        double[][] r = new double[sigma.length][sigma.length];
        for (int i = 0; i < sigma.length; i++) {
            r[i][i] = 1.0;
        }
        for (int i = 0; i < size; i++) {
            for (int k = 0; k < size; k++) {
                r[first + i][first + k] -= 2 * v[i] * v[k] / vv;
            }
        }
        stack.rotate(layer, Nd4j.create(r));
    }
}
