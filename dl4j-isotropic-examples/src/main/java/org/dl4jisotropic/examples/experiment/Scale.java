package org.dl4jisotropic.examples.experiment;

/**
 * How big a run of an experiment is: repetitions with different seeds, training epochs, and how many training and
 * test examples are read. Each experiment has a full and a quick scale; the command's options override single
 * values. Invariant: every value is &gt;= 1 (checked with the option that set it named).
 *
 * @param seeds      repetitions, seeds {@code seed, seed + 1, ...}
 * @param epochs     training epochs (each experiment says what they count)
 * @param trainLimit training examples read at most
 * @param testLimit  test examples read at most
 */
public record Scale(int seeds, int epochs, int trainLimit, int testLimit) {

    /** Checks every value. */
    public Scale {
        positive("--seeds", seeds);
        positive("--epochs", epochs);
        positive("--train-limit", trainLimit);
        positive("--test-limit", testLimit);
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be >= 1, found " + value);
        }
    }

    /**
     * This scale with the given values in place of its own.
     *
     * @param seeds      replacement, or null to keep this scale's
     * @param epochs     replacement, or null
     * @param trainLimit replacement, or null
     * @param testLimit  replacement, or null
     * @throws IllegalArgumentException naming the option of a value below 1
     */
    public Scale with(Integer seeds, Integer epochs, Integer trainLimit, Integer testLimit) {
        return new Scale(seeds != null ? seeds : this.seeds, epochs != null ? epochs : this.epochs,
                trainLimit != null ? trainLimit : this.trainLimit, testLimit != null ? testLimit : this.testLimit);
    }
}
