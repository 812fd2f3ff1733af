package org.dl4jisotropic.examples.verify;

import java.util.ArrayList;
import java.util.List;

import org.dl4jisotropic.core.linalg.Svd;
import org.dl4jisotropic.core.linalg.SvdCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The active backend's SVD at the shapes users train (784 x 256, 256 x 256, 1024 x 1024, in float and double): for
 * each, whether the native result passed its check or the JVM fallback had to take over, and the measured quality of
 * the decomposition that surgery would use. The faulty OpenBLAS of some AVX-512 CPUs fails at these sizes and not at
 * the 12-neuron sizes of the rest of the suite.
 */
final class BackendSelfCheck {

    /** The shapes users train: a first layer of 256 on 784 inputs, a 256-wide second layer, a 1024-wide one. */
    static final List<int[]> LAYER_SHAPES = List.of(new int[] {784, 256}, new int[] {256, 256},
            new int[] {1024, 1024});
    private static final long SEED = 11L;

    private BackendSelfCheck() {
    }

    /** One result per layer shape and dtype. */
    static List<CheckResult> run() {
        return run(LAYER_SHAPES);
    }

    /** One result per shape and dtype; a decomposition that throws is a failed result, not an exception. */
    static List<CheckResult> run(List<int[]> shapes) {
        List<CheckResult> results = new ArrayList<>();
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int[] shape : shapes) {
                results.add(check(shape[0], shape[1], type));
            }
        }
        return results;
    }

    private static CheckResult check(int rows, int columns, DataType type) {
        String matrix = String.format("SVD of a %d x %d %s matrix", rows, columns, type);
        try {
            return measure(matrix, rows, columns, type);
        } catch (RuntimeException e) {
            return new CheckResult(matrix + " (failed: " + e + ")", Double.NaN, SvdCheck.ORTHOGONALITY_TOLERANCE,
                    false);
        }
    }

    private static CheckResult measure(String matrix, int rows, int columns, DataType type) {
        Nd4j.getRandom().setSeed(SEED + rows + columns);
        INDArray a = Nd4j.randn(DataType.DOUBLE, rows, columns).castTo(type);
        Svd.Checked checked = Svd.decomposeChecked(a);
        SvdCheck used = checked.resultCheck();
        String path = checked.fellBack()
                ? "native result failed (" + (checked.nativeCheck() == null ? "threw"
                        : checked.nativeCheck().describe()) + "), JVM fallback used"
                : checked.backend() + " passed its check";
        double measured = Math.max(used.orthogonality(), used.residual());
        return new CheckResult(matrix + ": " + path + " (max of orthogonality and reconstruction error)",
                measured, SvdCheck.ORTHOGONALITY_TOLERANCE, used.passed());
    }
}
