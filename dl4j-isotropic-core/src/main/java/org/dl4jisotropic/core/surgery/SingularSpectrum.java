package org.dl4jisotropic.core.surgery;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The singular values of a hidden layer's incoming weights, one per neuron after left-partial diagonalization:
 * neuron i's row has norm {@code values[i]}. Descending. A layer wider than its input has rank-surplus neurons; they
 * are listed with singular value exactly 0.
 *
 * @param values one value per neuron, descending, non-negative
 */
public record SingularSpectrum(double[] values) {

    /** Copies the array. */
    public SingularSpectrum {
        values = values.clone();
    }

    static SingularSpectrum of(INDArray singularValues, long width) {
        double[] values = new double[Math.toIntExact(width)];
        double[] computed = singularValues.toDoubleVector();
        System.arraycopy(computed, 0, values, 0, Math.min(computed.length, values.length));
        return new SingularSpectrum(values);
    }

    /** The values (a copy). */
    @Override
    public double[] values() {
        return values.clone();
    }

    /** Number of neurons whose singular value is at most {@code threshold} (rank-surplus neurons included). */
    public int countAtMost(double threshold) {
        int count = 0;
        for (double v : values) {
            if (v <= threshold) {
                count++;
            }
        }
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SingularSpectrum && Arrays.equals(values, ((SingularSpectrum) o).values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "SingularSpectrum" + Arrays.toString(values);
    }
}
