package org.dl4jisotropic.examples.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;
import org.nd4j.shade.jackson.annotation.JsonValue;

/**
 * A {@code --data} value, resolved and checked without reading any example: {@code auto} (Fashion-MNIST from
 * Debian's package if installed, else the bundled Iris set), {@code fashion-mnist}, {@code iris}, or a folder of
 * Fashion-MNIST-format IDX files. Parsing checks that the files exist, so a command can reject a bad value before it
 * writes anything; {@link #classes()} is known before loading, so class-dependent options can be checked too.
 */
public final class DataSource {

    /** Where the examples come from. */
    public enum Kind {
        /** Fashion-MNIST IDX files, from Debian's package or a folder. */
        IDX,
        /** The bundled Iris set. */
        IRIS
    }

    private static final String AUTO = "auto";
    private static final String FASHION_MNIST = "fashion-mnist";
    private static final String IRIS = "iris";
    /** Iris examples used for training; the other 30 are the test set. */
    private static final int IRIS_TRAIN = 120;

    private final String spec;
    private final Kind kind;
    private final String name;
    private final Path folder;
    private final String source;

    private DataSource(String spec, Kind kind, String name, Path folder, String source) {
        this.spec = spec;
        this.kind = kind;
        this.name = name;
        this.folder = folder;
        this.source = source;
    }

    /**
     * Resolves and checks a {@code --data} value.
     *
     * @throws IllegalArgumentException naming {@code --data}, when the value is none of the accepted forms or the
     *     files are missing (for Fashion-MNIST: how to install it)
     */
    public static DataSource parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("--data must be auto, fashion-mnist, iris or a folder of IDX files, "
                    + "found an empty value");
        }
        switch (spec) {
            case AUTO:
                return FashionMnist.isInstalled()
                        ? idx(spec, FASHION_MNIST, FashionMnist.DEBIAN_DIRECTORY, "Fashion-MNIST from "
                        + FashionMnist.DEBIAN_DIRECTORY)
                        : new DataSource(spec, Kind.IRIS, IRIS, null, "Fashion-MNIST is not installed (apt-get install "
                        + "dataset-fashion-mnist), so the bundled Iris set is used");
            case FASHION_MNIST:
                return idx(spec, FASHION_MNIST, FashionMnist.DEBIAN_DIRECTORY, "Fashion-MNIST from "
                        + FashionMnist.DEBIAN_DIRECTORY);
            case IRIS:
                return new DataSource(spec, Kind.IRIS, IRIS, null, "the bundled Iris set (Fisher 1936)");
            default:
                Path folder;
                try {
                    folder = Paths.get(spec);
                } catch (java.nio.file.InvalidPathException e) {
                    throw new IllegalArgumentException("--data must be auto, fashion-mnist, iris or a folder of IDX "
                            + "files, found \"" + spec + "\" (not a valid path)");
                }
                if (!Files.isDirectory(folder)) {
                    throw new IllegalArgumentException("--data must be auto, fashion-mnist, iris or a folder of IDX "
                            + "files, found \"" + spec + "\" (not a folder)");
                }
                return idx(spec, folder.toString(), folder, "IDX files from " + folder);
        }
    }

    private static DataSource idx(String spec, String name, Path folder, String source) {
        try {
            new FashionMnist(folder);   // checks that the four files are there
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--data " + spec + ": " + e.getMessage(), e);
        }
        return new DataSource(spec, Kind.IDX, name, folder, source);
    }

    /** The value as given, e.g. {@code auto}; how report.json shows it. */
    @JsonValue
    public String spec() {
        return spec;
    }

    /** IDX files or the bundled Iris set. */
    public Kind kind() {
        return kind;
    }

    /** {@code fashion-mnist}, {@code iris} or the folder read. */
    public String name() {
        return name;
    }

    /** Number of classes: 10 for Fashion-MNIST-format files, 3 for Iris. */
    public int classes() {
        return kind == Kind.IRIS ? Iris.CLASSES : FashionMnist.CLASSES;
    }

    /**
     * The image each example is, for data made of images (Fashion-MNIST-format IDX files: 28x28 grey); empty for
     * data that is not (Iris).
     */
    public Optional<ImageShape> image() {
        return kind == Kind.IRIS ? Optional.empty() : Optional.of(FashionMnist.IMAGE);
    }

    /** Features per example. */
    public int inputs() {
        return kind == Kind.IRIS ? Iris.FEATURES : FashionMnist.PIXELS;
    }

    /**
     * Reads the examples.
     *
     * @param trainLimit at most this many training examples (IDX data only); &gt;= 1
     * @param testLimit  at most this many test examples (IDX data only); &gt;= 1
     * @param type       dtype
     * @param seed       seed of the Iris train/test split
     * @throws IllegalArgumentException naming {@code --data} if a file is malformed or cannot be read
     */
    public LoadedData load(int trainLimit, int testLimit, DataType type, long seed) {
        try {
            if (kind == Kind.IRIS) {
                DataSet all = Iris.load(type);
                all.shuffle(seed);
                SplitTestAndTrain split = all.splitTestAndTrain(IRIS_TRAIN);
                return new LoadedData(name, source + " (" + IRIS_TRAIN + " training, " + (all.numExamples()
                        - IRIS_TRAIN) + " test examples)", split.getTrain(), split.getTest(), Iris.CLASSES);
            }
            FashionMnist data = new FashionMnist(folder);
            return new LoadedData(name, source, data.load(FashionMnist.Split.TRAIN, trainLimit, type),
                    data.load(FashionMnist.Split.TEST, testLimit, type), FashionMnist.CLASSES);
        } catch (IOException e) {
            // A malformed file is a bad --data value, not a failed run: the user must point elsewhere.
            throw new IllegalArgumentException("--data " + spec + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return spec;
    }
}
