package org.dl4jisotropic.core.testing;

import java.util.Random;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded test arrays and independent helpers that do not use the code under test. */
public final class TestArrays {

    private TestArrays() {
    }

    /** Standard normal entries from {@code new Random(seed)}, C order. */
    public static INDArray gaussian(long seed, DataType type, long... shape) {
        Random random = new Random(seed);
        long length = 1;
        for (long d : shape) {
            length *= d;
        }
        double[] values = new double[Math.toIntExact(length)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return Nd4j.create(values, shape, 'c').castTo(type);
    }

    /** A random n x n orthogonal matrix (Q of the QR decomposition of a Gaussian matrix, via commons-math3). */
    public static INDArray randomOrthogonal(long seed, int n, DataType type) {
        Random random = new Random(seed);
        double[][] values = new double[n][n];
        for (double[] row : values) {
            for (int j = 0; j < n; j++) {
                row[j] = random.nextGaussian();
            }
        }
        RealMatrix q = new QRDecomposition(new Array2DRowRealMatrix(values, false)).getQ();
        return Nd4j.create(q.getData()).castTo(type);
    }

    /**
     * Applies {@code a -> R a} to every layer vector along {@code dim}: the vector of each index combination of
     * the other dimensions is multiplied by R.
     */
    public static INDArray rotateAlong(INDArray a, int dim, INDArray r) {
        int rank = a.rank();
        int[] toLast = new int[rank];
        int k = 0;
        for (int i = 0; i < rank; i++) {
            if (i != dim) {
                toLast[k++] = i;
            }
        }
        toLast[rank - 1] = dim;
        INDArray moved = a.permute(toLast).dup('c');
        long n = a.size(dim);
        INDArray rotated = moved.reshape('c', moved.length() / n, n).mmul(r.transpose()).reshape('c', moved.shape());
        int[] back = new int[rank];
        for (int i = 0; i < rank; i++) {
            back[toLast[i]] = i;
        }
        return rotated.permute(back).dup('c');
    }

    /** Largest absolute entry of {@code x - y}. */
    public static double maxAbsDifference(INDArray x, INDArray y) {
        return x.castTo(DataType.DOUBLE).sub(y.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    /** Largest absolute entry of {@code x}. */
    public static double maxAbs(INDArray x) {
        return x.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
    }
}
