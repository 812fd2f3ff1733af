package org.dl4jisotropic.layers.testing;

import java.util.HashSet;
import java.util.Set;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** DL4J's gradient checker with the settings DL4J's own tests use (double precision, NoOp updater expected). */
public final class GradientChecks {

    /** Finite-difference step. */
    public static final double EPSILON = 1e-6;
    /** Largest accepted relative error per parameter. */
    public static final double MAX_RELATIVE_ERROR = 1e-5;
    /** Absolute differences below this pass regardless of the relative error. */
    public static final double MIN_ABSOLUTE_ERROR = 1e-9;

    private GradientChecks() {
    }

    /**
     * Runs GradientCheckUtil on a MultiLayerNetwork; true when every parameter passes.
     *
     * <p>A constant intrinsic length ({@code i_o}) is skipped: its zero-rate updater, which the checker applies,
     * zeroes its gradient by design. Its gradient code is shared with {@code lambda}, which is checked.
     */
    public static boolean passes(MultiLayerNetwork net, INDArray input, INDArray labels) {
        Set<String> frozen = new HashSet<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            frozen.add(i + "_o");
        }
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(input)
                .labels(labels).excludeParams(frozen).epsilon(EPSILON).maxRelError(MAX_RELATIVE_ERROR).minAbsoluteError(MIN_ABSOLUTE_ERROR)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
    }

    /** Runs GradientCheckUtil on a ComputationGraph with one input and one output. */
    public static boolean passes(ComputationGraph graph, INDArray input, INDArray labels) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                .inputs(new INDArray[] {input}).labels(new INDArray[] {labels}).epsilon(EPSILON)
                .maxRelError(MAX_RELATIVE_ERROR).minAbsoluteError(MIN_ABSOLUTE_ERROR)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
    }
}
