package org.dl4jisotropic.examples.experiment;

import java.io.IOException;

/**
 * One experiment of {@code isotropic experiment NAME}: its full and quick sizes, what it needs checked before
 * anything runs, and the run itself, which returns tables, claims and plots (written by {@link ExperimentReport}).
 */
public interface Experiment {

    /** The size of the full run (what the results page reports unless it says otherwise). */
    Scale fullScale();

    /** A tiny size that runs in seconds, for CI (its numbers mean nothing; its invariants must hold). */
    Scale quickScale();

    /**
     * Checks a scale against what this experiment needs, before anything runs or is written.
     *
     * @throws IllegalArgumentException naming the option at fault
     */
    default void validate(Scale scale) {
    }

    /**
     * Runs the experiment.
     *
     * @param context the data, the scale, where plots go and where progress is shown
     * @return the tables, claims, plots and raw numbers
     */
    ExperimentResult run(ExperimentContext context) throws IOException;
}
