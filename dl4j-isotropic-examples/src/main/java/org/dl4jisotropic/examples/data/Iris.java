package org.dl4jisotropic.examples.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fisher's Iris data (150 flowers, 4 measurements, 3 species), bundled as a resource so that the examples run where
 * Fashion-MNIST is not installed. Attribution: {@code iris-NOTICE.txt} next to {@code iris.csv}.
 *
 * <p>Features are standardized per column with the whole set's mean and standard deviation; labels are one-hot.
 */
public final class Iris {

    /** Number of classes. */
    public static final int CLASSES = 3;
    /** Number of features. */
    public static final int FEATURES = 4;
    private static final String RESOURCE = "iris.csv";

    private Iris() {
    }

    /**
     * Loads all 150 examples in file order.
     *
     * @param type dtype of features and labels
     * @return features {@code [150, 4]} (standardized) and one-hot labels {@code [150, 3]}
     * @throws IOException if the resource is missing or malformed
     */
    public static DataSet load(DataType type) throws IOException {
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (InputStream in = Iris.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("bundled resource " + RESOURCE + " is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            reader.readLine();   // "150,4,setosa,versicolor,virginica"
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.split(",");
                if (parts.length != FEATURES + 1) {
                    throw new IOException(RESOURCE + ": each row must have 5 fields, found \"" + line + "\"");
                }
                double[] row = new double[FEATURES];
                for (int j = 0; j < FEATURES; j++) {
                    row[j] = Double.parseDouble(parts[j]);
                }
                rows.add(row);
                labels.add(Integer.parseInt(parts[FEATURES].trim()));
            }
        }
        INDArray features = Nd4j.create(rows.toArray(new double[0][]));
        INDArray mean = features.mean(0);
        INDArray std = features.std(0);
        features.subiRowVector(mean).diviRowVector(std);
        INDArray oneHot = Nd4j.zeros(DataType.DOUBLE, rows.size(), CLASSES);
        for (int i = 0; i < labels.size(); i++) {
            oneHot.putScalar(i, labels.get(i), 1.0);
        }
        return new DataSet(features.castTo(type), oneHot.castTo(type));
    }
}
