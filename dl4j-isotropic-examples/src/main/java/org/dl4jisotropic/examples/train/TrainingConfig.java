package org.dl4jisotropic.examples.train;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Everything a training run is configured by; written into report.json.
 *
 * @param data        dataset spec ({@code auto}, {@code fashion-mnist}, {@code iris} or a folder)
 * @param hidden      initial hidden widths
 * @param epochs      epochs
 * @param batch       minibatch size
 * @param learningRate learning rate
 * @param updater     {@code adam}, {@code sgd} or {@code nesterovs}
 * @param activation  {@code isotropic-tanh}, {@code tanh} or {@code relu}
 * @param adapt       whether the adaptation listener runs (isotropic only)
 * @param tau         scaffold threshold
 * @param scaffold    scaffold buffer K
 * @param minWidth    smallest hidden width
 * @param maxWidth    largest hidden width
 * @param dtype       network dtype
 * @param seed        seed
 * @param tasks       task schedule spec, blank for none
 * @param trainLimit  training examples used at most
 * @param testLimit   test examples used at most
 */
public record TrainingConfig(String data, List<Integer> hidden, int epochs, int batch, double learningRate,
                             String updater, String activation, boolean adapt, double tau, int scaffold,
                             int minWidth, int maxWidth, DataType dtype, long seed, String tasks, int trainLimit,
                             int testLimit) {

    /** Copies the list and validates every setting, naming the CLI option at fault. */
    public TrainingConfig {
        hidden = List.copyOf(hidden);
        if (hidden.isEmpty() || hidden.stream().anyMatch(w -> w < 1)) {
            throw new IllegalArgumentException("--hidden must list at least one width >= 1, found " + hidden);
        }
        require(epochs >= 1, "--epochs must be >= 1, found " + epochs);
        require(batch >= 1, "--batch must be >= 1, found " + batch);
        require(learningRate > 0 && Double.isFinite(learningRate), "--lr must be finite and > 0, found "
                + learningRate);
        require(List.of("adam", "sgd", "nesterovs").contains(updater),
                "--updater must be adam, sgd or nesterovs, found " + updater);
        require(List.of("isotropic-tanh", "tanh", "relu").contains(activation),
                "--activation must be isotropic-tanh, tanh or relu, found " + activation);
        require(!adapt || "isotropic-tanh".equals(activation),
                "--adapt needs --activation isotropic-tanh, found " + activation);
        require(tau > 0 && Double.isFinite(tau), "--tau must be finite and > 0, found " + tau);
        require(scaffold >= 0, "--scaffold must be >= 0, found " + scaffold);
        require(minWidth >= 1 && minWidth <= maxWidth, "--min-width and --max-width must satisfy 1 <= min <= max, "
                + "found " + minWidth + " and " + maxWidth);
        require(dtype == DataType.FLOAT || dtype == DataType.DOUBLE, "--dtype must be float or double, found "
                + dtype);
        require(trainLimit >= 1, "--train-limit must be >= 1, found " + trainLimit);
        require(testLimit >= 1, "--test-limit must be >= 1, found " + testLimit);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
