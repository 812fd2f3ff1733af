package org.dl4jisotropic.examples.train;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The optimizers the training harness offers ({@code --updater}). Each constant builds its DL4J updater, so adding
 * one is adding a constant: there is no name to match and no fallback.
 */
public enum Updater {
    /** Adam with DL4J's default betas. */
    ADAM("adam") {
        @Override
        public IUpdater create(double learningRate) {
            return new Adam(learningRate);
        }
    },
    /** Plain stochastic gradient descent. */
    SGD("sgd") {
        @Override
        public IUpdater create(double learningRate) {
            return new Sgd(learningRate);
        }
    },
    /** Nesterov momentum 0.9. */
    NESTEROVS("nesterovs") {
        @Override
        public IUpdater create(double learningRate) {
            return new Nesterovs(learningRate, NESTEROV_MOMENTUM);
        }
    };

    /** Momentum of {@link #NESTEROVS}. */
    public static final double NESTEROV_MOMENTUM = 0.9;

    private final String label;

    Updater(String label) {
        this.label = label;
    }

    /**
     * The DL4J updater configuration.
     *
     * @param learningRate finite and &gt; 0 (checked by {@link TrainingConfig})
     */
    public abstract IUpdater create(double learningRate);

    /** The option value, e.g. {@code adam}: what picocli lists and matches, and what report.json shows. */
    @Override
    public String toString() {
        return label;
    }
}
