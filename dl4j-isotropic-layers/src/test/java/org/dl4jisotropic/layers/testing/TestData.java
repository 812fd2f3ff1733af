package org.dl4jisotropic.layers.testing;

import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small seeded inputs and one-hot labels for layer tests. */
public final class TestData {

    private TestData() {
    }

    /** One-hot labels {@code [rows, classes]} drawn from {@code new Random(seed)}. */
    public static INDArray oneHot(long seed, DataType type, int rows, int classes) {
        Random random = new Random(seed);
        INDArray labels = Nd4j.zeros(type, rows, classes);
        for (int i = 0; i < rows; i++) {
            labels.putScalar(i, random.nextInt(classes), 1.0);
        }
        return labels;
    }
}
