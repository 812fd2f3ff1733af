package org.dl4jisotropic.examples.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Selects the examples of a one-hot labelled dataset whose class lies in a set (a "task" of a task schedule). */
public final class ClassSubset {

    private ClassSubset() {
    }

    /**
     * The examples whose label is one of {@code classes}, in their original order.
     *
     * @param data    one-hot labelled data. Not modified.
     * @param classes the classes to keep; non-empty
     * @return a new dataset (copies)
     * @throws IllegalArgumentException if no example has one of the classes
     */
    public static DataSet of(DataSet data, Set<Integer> classes) {
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("class subset must name at least one class, found none");
        }
        INDArray labels = data.getLabels().argMax(1);
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < labels.length(); i++) {
            if (classes.contains(labels.getInt(i))) {
                rows.add(i);
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no example has a class in " + classes);
        }
        INDArray index = Nd4j.createFromArray(rows.stream().mapToInt(Integer::intValue).toArray());
        return new DataSet(data.getFeatures().getRows(toInts(index)), data.getLabels().getRows(toInts(index)));
    }

    private static int[] toInts(INDArray index) {
        return index.toIntVector();
    }
}
