package org.dl4jisotropic.examples.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fashion-MNIST (Zalando Research, MIT licence) from local IDX files: 60,000 training and 10,000 test images of 28x28
 * grey pixels in ten clothing classes.
 *
 * <p>The files are looked up in the given folder, under their usual names with or without {@code .gz}. Debian's
 * {@code dataset-fashion-mnist} package installs them in {@link #DEBIAN_DIRECTORY}. Nothing is downloaded.
 *
 * <p>Features are standardized pixels {@code (p/255 - mean) / std} with the training set's global mean and standard
 * deviation ({@link #PIXEL_MEAN}, {@link #PIXEL_STD}), as a {@code [n, 784]} array; labels are one-hot {@code [n, 10]}.
 */
public final class FashionMnist {

    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    public static final Path DEBIAN_DIRECTORY = Paths.get("/usr/share/datasets/fashion-mnist");
    /** Mean pixel value of the 60,000 training images, on the [0, 1] scale. */
    public static final double PIXEL_MEAN = 0.2860405969887955;
    /** Standard deviation of the training pixels, on the [0, 1] scale. */
    public static final double PIXEL_STD = 0.35302424451492237;
    /** Number of classes. */
    public static final int CLASSES = 10;
    /** One image: 28 x 28 grey pixels. */
    public static final ImageShape IMAGE = new ImageShape(28, 28, 1);
    /** Pixels per image (28 x 28), the number of features. */
    public static final int PIXELS = IMAGE.size();
    /** Class names in label order. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Which half of the dataset. */
    public enum Split {
        /** 60,000 training images. */
        TRAIN("train"),
        /** 10,000 test images. */
        TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    private final Path directory;

    /**
     * Uses the IDX files in a folder.
     *
     * @param directory folder holding {@code train-images-idx3-ubyte[.gz]} and the three other files
     * @throws IllegalArgumentException if any of the four files is missing, naming it and how to install it
     */
    public FashionMnist(Path directory) {
        this.directory = directory;
        for (Split split : Split.values()) {
            file(split, "images-idx3-ubyte");
            file(split, "labels-idx1-ubyte");
        }
    }

    /** True if the Debian package's files are present. */
    public static boolean isInstalled() {
        return Files.isDirectory(DEBIAN_DIRECTORY)
                && (Files.exists(DEBIAN_DIRECTORY.resolve("train-images-idx3-ubyte.gz"))
                || Files.exists(DEBIAN_DIRECTORY.resolve("train-images-idx3-ubyte")));
    }

    /** The folder the files are read from. */
    public Path directory() {
        return directory;
    }

    /**
     * Loads the first {@code limit} examples of a split.
     *
     * @param split which half
     * @param limit at most this many examples; &gt;= 1
     * @param type  dtype of the features and labels
     * @return features {@code [n, 784]} (standardized) and one-hot labels {@code [n, 10]}
     * @throws IOException if a file cannot be read or is malformed
     */
    public DataSet load(Split split, int limit, DataType type) throws IOException {
        IdxReader.IdxArray images = IdxReader.read(file(split, "images-idx3-ubyte"), limit);
        IdxReader.IdxArray labels = IdxReader.read(file(split, "labels-idx1-ubyte"), limit);
        if (images.items() != labels.items() || images.itemSize() != PIXELS) {
            throw new IOException("Fashion-MNIST " + split + " files in " + directory + " disagree: " + images.items()
                    + " images of " + images.itemSize() + " pixels, " + labels.items() + " labels");
        }
        int n = images.items();
        float[] pixels = new float[n * PIXELS];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) ((images.value(i) / 255.0 - PIXEL_MEAN) / PIXEL_STD);
        }
        INDArray features = Nd4j.create(pixels, new long[] {n, PIXELS}, 'c').castTo(type);
        INDArray oneHot = Nd4j.zeros(type, n, CLASSES);
        for (int i = 0; i < n; i++) {
            int label = labels.value(i);
            if (label >= CLASSES) {
                throw new IOException("Fashion-MNIST label must be 0..9, found " + label + " at item " + i);
            }
            oneHot.putScalar(i, label, 1.0);
        }
        return new DataSet(features, oneHot);
    }

    private Path file(Split split, String kind) {
        String name = split.prefix + "-" + kind;
        Path plain = directory.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = directory.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new IllegalArgumentException("Fashion-MNIST file " + name + "[.gz] not found in " + directory
                + "; install it with 'apt-get install dataset-fashion-mnist' (files go to " + DEBIAN_DIRECTORY
                + ") or pass a folder holding the four IDX files");
    }
}
