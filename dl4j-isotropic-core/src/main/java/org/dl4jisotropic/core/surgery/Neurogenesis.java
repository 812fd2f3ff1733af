package org.dl4jisotropic.core.surgery;

import java.util.Random;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adds inert scaffold neurons to a hidden layer without changing the network's function.
 *
 * <pre>
 *   W_l <- [W_l, 0],   b_l <- [b_l, 0],   psi_l <- [psi_l, 0],   W_{l+1} <- [W_{l+1}; 0.01 N(0, 1)]
 * </pre>
 * (for a next layer of input multiplicity k, k rows per new neuron: new input channels of a convolution, or new
 * flattened positions of a dense layer).
 * The new neurons' pre-activation is exactly 0, so they add nothing to the norm and output 0: every logit is unchanged
 * to the last bit. Their outgoing weights must not be zero: an all-zero scaffold gets exactly zero gradient and never
 * wakes up. New optimizer state is 0 for first moments and the mean of the existing entries for second moments (see
 * {@link TrackedParameter#appendColumns}).
 */
public final class Neurogenesis {

    /** Standard deviation of the scaffolds' outgoing weights. */
    public static final double OUTGOING_SCALE = 0.01;

    private Neurogenesis() {
    }

    /**
     * Appends {@code count} scaffold neurons to hidden layer {@code layer}.
     *
     * @param stack the network. Modified.
     * @param layer hidden layer index
     * @param count neurons to add; &gt;= 1
     * @param seed  seed of the outgoing weights
     * @return the report (error bound 0)
     */
    public static SurgeryReport grow(IsotropicStack stack, int layer, int count, long seed) {
        stack.requireHidden(layer);
        if (count < 1) {
            throw new IllegalArgumentException("number of neurons to grow must be >= 1, found " + count);
        }
        LinearBlock block = stack.layer(layer);
        LinearBlock next = stack.layer(layer + 1);
        long before = block.width();
        INDArray w = block.weights().value();
        block.weights().appendColumns(Nd4j.zeros(w.dataType(), block.fanIn(), count));
        block.bias().appendColumns(Nd4j.zeros(w.dataType(), 1, count));
        block.psi().ifPresent(p -> p.appendColumns(Nd4j.zeros(w.dataType(), block.multiplicity(), count)));
        next.weights().appendRows(gaussian(seed, Math.toIntExact(count * next.multiplicity()), next.width(), w)
                .muli(OUTGOING_SCALE));
        return SurgeryReport.exact(layer, SurgeryOperation.GROW, count, before, block.width());
    }

    private static INDArray gaussian(long seed, int rows, long columns, INDArray like) {
        Random random = new Random(seed);
        double[] values = new double[Math.toIntExact(rows * columns)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return Nd4j.create(values, new long[] {rows, columns}, 'c').castTo(like.dataType());
    }
}
