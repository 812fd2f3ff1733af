package org.dl4jisotropic.examples.verify;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The largest relative error between a float64 network's backpropagated gradient and central finite differences of
 * its score, {@code |analytic - numeric| / (|analytic| + |numeric|)}, over every parameter whose gradient is at least
 * {@code minMagnitude} (below that a relative error is rounding noise). DL4J's {@code GradientCheckUtil} only returns
 * pass or fail, and skips differences under an absolute floor, which in float64 is usually every one of them; this
 * gives the figure behind its verdict.
 */
final class FiniteDifferenceGradient {

    private FiniteDifferenceGradient() {
    }

    /**
     * @param net              a DOUBLE network with a no-op updater. Its parameters are restored afterwards.
     * @param inputs           features
     * @param labels           labels
     * @param epsilon          finite-difference step
     * @param minMagnitude     parameters whose analytic and numeric gradients are both smaller are skipped
     */
    static double maxRelativeError(MultiLayerNetwork net, INDArray inputs, INDArray labels, double epsilon,
                                   double minMagnitude) {
        net.setInput(inputs);
        net.setLabels(labels);
        net.computeGradientAndScore();
        // DL4J adds regularization (psi's L2) to the gradient in the updater, not in backprop; with a no-op updater
        // this step adds exactly that, as GradientCheckUtil does, so the gradient matches the regularized score
        Gradient gradient = net.gradient();
        net.getUpdater().update(net, gradient, 0, 0, (int) inputs.size(0), LayerWorkspaceMgr.noWorkspaces());
        INDArray analytic = gradient.gradient().dup();
        INDArray parameters = net.params();
        double worst = 0;
        for (long i = 0; i < parameters.length(); i++) {
            double original = parameters.getDouble(i);
            parameters.putScalar(i, original + epsilon);
            double plus = score(net, inputs, labels);
            parameters.putScalar(i, original - epsilon);
            double minus = score(net, inputs, labels);
            parameters.putScalar(i, original);
            double numeric = (plus - minus) / (2 * epsilon);
            double exact = analytic.getDouble(i);
            if (Math.max(Math.abs(exact), Math.abs(numeric)) >= minMagnitude) {
                worst = Math.max(worst, Math.abs(exact - numeric) / (Math.abs(exact) + Math.abs(numeric)));
            }
        }
        return worst;
    }

    private static double score(MultiLayerNetwork net, INDArray inputs, INDArray labels) {
        net.setInput(inputs);
        net.setLabels(labels);
        net.computeGradientAndScore();
        return net.score();
    }
}
