package org.dl4jisotropic.examples.data;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

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
     * Resolves and reads a {@code --data} value ({@link DataSource#parse(String)}, then
     * {@link DataSource#load(int, int, DataType, long)}).
     *
     * @param spec       {@code auto}, {@code fashion-mnist}, {@code iris} or a folder of IDX files
     * @param trainLimit at most this many training examples (IDX data only)
     * @param testLimit  at most this many test examples (IDX data only)
     * @param type       dtype
     * @param seed       seed of the Iris train/test split
     * @throws IllegalArgumentException if the data cannot be found or read, naming where it looked and how to
     *     install it
     */
    public static LoadedData resolve(String spec, int trainLimit, int testLimit, DataType type, long seed) {
        return DataSource.parse(spec).load(trainLimit, testLimit, type, seed);
    }

    /** Class names for reports, where known. */
    public List<String> classNames() {
        return "iris".equals(name) ? List.of("setosa", "versicolor", "virginica") : FashionMnist.CLASS_NAMES;
    }
}
