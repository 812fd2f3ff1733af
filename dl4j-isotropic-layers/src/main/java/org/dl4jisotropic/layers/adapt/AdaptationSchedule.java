package org.dl4jisotropic.layers.adapt;

/**
 * When the {@link NeuroadaptationListener} runs an adaptation round: every N epochs (at the end of the epoch) or every
 * N iterations (after the parameter update). Decided from the network's own epoch and iteration counters, which
 * ModelSerializer saves, so a restored network resumes on the same schedule.
 *
 * @param unit  epochs or iterations
 * @param every N; &gt;= 1
 */
public record AdaptationSchedule(Unit unit, int every) {

    /** The unit of a schedule. */
    public enum Unit {
        /** At the end of every N-th epoch. */
        EPOCHS,
        /** After every N-th iteration. */
        ITERATIONS
    }

    /** Validates. */
    public AdaptationSchedule {
        if (unit == null) {
            throw new IllegalArgumentException("schedule unit must be EPOCHS or ITERATIONS, found null");
        }
        if (every < 1) {
            throw new IllegalArgumentException("schedule interval must be >= 1 " + unit.name().toLowerCase()
                    + ", found " + every);
        }
    }

    /** A round at the end of every {@code n}-th epoch. */
    public static AdaptationSchedule everyEpochs(int n) {
        return new AdaptationSchedule(Unit.EPOCHS, n);
    }

    /** A round after every {@code n}-th iteration. */
    public static AdaptationSchedule everyIterations(int n) {
        return new AdaptationSchedule(Unit.ITERATIONS, n);
    }

    /** True if the epoch with this (zero-based) index ends with a round. */
    boolean dueAtEndOfEpoch(int epoch) {
        return unit == Unit.EPOCHS && (epoch + 1) % every == 0;
    }

    /** True if the iteration with this (zero-based) index ends with a round. */
    boolean dueAfterIteration(int iteration) {
        return unit == Unit.ITERATIONS && (iteration + 1) % every == 0;
    }
}
