package org.dl4jisotropic.spark;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test data for the Spark tests: the first examples of Fashion-MNIST when Debian's {@code dataset-fashion-mnist} is
 * installed (the module cannot depend on the examples module's reader, so this is a minimal IDX reader), else a
 * synthetic 10-class problem in 784 dimensions (noisy class prototypes), so the tests run anywhere.
 */
final class SparkTestData {

    static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    static final int FEATURES = 784;
    static final int CLASSES = 10;

    /** A train and a test split, and where they came from. */
    record Split(DataSet train, DataSet test, String source) {
    }

    private SparkTestData() {
    }

    static Split load(int train, int test) throws IOException {
        if (Files.isReadable(FASHION_MNIST.resolve("train-images-idx3-ubyte.gz"))) {
            return new Split(idx("train", train), idx("t10k", test), "fashion-mnist");
        }
        return new Split(synthetic(train, 1L), synthetic(test, 2L), "synthetic");
    }

    private static DataSet idx(String prefix, int count) throws IOException {
        float[] pixels;
        int[] labels = new int[count];
        try (DataInputStream in = open(prefix + "-images-idx3-ubyte.gz", 2051)) {
            int available = in.readInt();
            int size = in.readInt() * in.readInt();
            if (size != FEATURES || available < count) {
                throw new IOException("unexpected IDX images: " + available + " of size " + size);
            }
            byte[] raw = new byte[count * FEATURES];
            in.readFully(raw);
            pixels = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                pixels[i] = (raw[i] & 0xFF) / 255f;
            }
        }
        try (DataInputStream in = open(prefix + "-labels-idx1-ubyte.gz", 2049)) {
            in.readInt();
            for (int i = 0; i < count; i++) {
                labels[i] = in.readUnsignedByte();
            }
        }
        return new DataSet(Nd4j.create(pixels, new long[] {count, FEATURES}), oneHot(labels));
    }

    private static DataInputStream open(String name, int magic) throws IOException {
        InputStream raw = new GZIPInputStream(Files.newInputStream(FASHION_MNIST.resolve(name)));
        DataInputStream in = new DataInputStream(raw);
        int found = in.readInt();
        if (found != magic) {
            in.close();
            throw new IOException(name + ": magic " + found + ", expected " + magic);
        }
        return in;
    }

    private static DataSet synthetic(int count, long seed) {
        // Fixed prototypes (seed 0) shared by train and test; the examples differ by the seed.
        Random prototypes = new Random(0);
        float[][] centres = new float[CLASSES][FEATURES];
        for (float[] centre : centres) {
            for (int j = 0; j < FEATURES; j++) {
                centre[j] = (float) prototypes.nextGaussian() * 0.5f;
            }
        }
        Random random = new Random(seed);
        float[] features = new float[count * FEATURES];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(CLASSES);
            for (int j = 0; j < FEATURES; j++) {
                features[i * FEATURES + j] = centres[labels[i]][j] + (float) random.nextGaussian();
            }
        }
        return new DataSet(Nd4j.create(features, new long[] {count, FEATURES}), oneHot(labels));
    }

    private static INDArray oneHot(int[] labels) {
        INDArray matrix = Nd4j.zeros(DataType.FLOAT, labels.length, CLASSES);
        for (int i = 0; i < labels.length; i++) {
            matrix.putScalar(i, labels[i], 1f);
        }
        return matrix;
    }
}
