package org.dl4jisotropic.examples.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;

/**
 * A classification dataset ready for training, with a description of where it came from.
 *
 * @param name     "fashion-mnist", "iris" or the folder the IDX files were read from
 * @param source   a sentence saying which data is used and why
 * @param train    training examples
 * @param test     test examples
 * @param classes  number of classes
 */
public record LoadedData(String name, String source, DataSet train, DataSet test, int classes) {

    /** Features per example. */
    public int inputs() {
        return (int) train.getFeatures().size(1);
    }

    /**
     * Resolves a {@code --data} value: {@code auto} (Fashion-MNIST from Debian's package if installed, else the
     * bundled Iris set), {@code fashion-mnist}, {@code iris}, or a folder of Fashion-MNIST-format IDX files.
     *
     * @param spec       the value
     * @param trainLimit at most this many training examples (IDX data only)
     * @param testLimit  at most this many test examples (IDX data only)
     * @param type       dtype
     * @param seed       seed of the Iris train/test split
     * @throws IllegalArgumentException if the data cannot be found, naming where it looked and how to install it
     * @throws IOException if a file cannot be read
     */
    public static LoadedData resolve(String spec, int trainLimit, int testLimit, DataType type, long seed)
            throws IOException {
        switch (spec) {
            case "auto":
                if (FashionMnist.isInstalled()) {
                    return idx("fashion-mnist", FashionMnist.DEBIAN_DIRECTORY, "Fashion-MNIST from "
                            + FashionMnist.DEBIAN_DIRECTORY, trainLimit, testLimit, type);
                }
                return iris("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist), so the bundled "
                        + "Iris set is used", type, seed);
            case "fashion-mnist":
                return idx("fashion-mnist", FashionMnist.DEBIAN_DIRECTORY, "Fashion-MNIST from "
                        + FashionMnist.DEBIAN_DIRECTORY, trainLimit, testLimit, type);
            case "iris":
                return iris("the bundled Iris set (Fisher 1936)", type, seed);
            default:
                Path folder = Paths.get(spec);
                if (!Files.isDirectory(folder)) {
                    throw new IllegalArgumentException("--data must be auto, fashion-mnist, iris or a folder of IDX "
                            + "files, found \"" + spec + "\" (not a folder)");
                }
                return idx(folder.toString(), folder, "IDX files from " + folder, trainLimit, testLimit, type);
        }
    }

    private static LoadedData idx(String name, Path folder, String source, int trainLimit, int testLimit,
                                  DataType type) throws IOException {
        FashionMnist data = new FashionMnist(folder);
        return new LoadedData(name, source, data.load(FashionMnist.Split.TRAIN, trainLimit, type),
                data.load(FashionMnist.Split.TEST, testLimit, type), FashionMnist.CLASSES);
    }

    private static LoadedData iris(String source, DataType type, long seed) throws IOException {
        DataSet all = Iris.load(type);
        all.shuffle(seed);
        SplitTestAndTrain split = all.splitTestAndTrain(120);
        return new LoadedData("iris", source + " (120 training, 30 test examples)", split.getTrain(),
                split.getTest(), Iris.CLASSES);
    }

    /** Class names for reports, where known. */
    public List<String> classNames() {
        return "iris".equals(name) ? List.of("setosa", "versicolor", "virginica") : FashionMnist.CLASS_NAMES;
    }
}
