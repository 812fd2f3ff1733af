package org.dl4jisotropic.examples.experiment;

/**
 * The experiments of {@code isotropic experiment NAME}. Each constant creates its experiment, so adding one is adding
 * a constant: there is no name to match by hand.
 */
public enum ExperimentName {
    /** Fixed widths 8 to 512 against adaptive runs started at 8 and at 512 ({@link WidthSweepExperiment}). */
    WIDTH_SWEEP("width-sweep") {
        @Override
        public Experiment create() {
            return new WidthSweepExperiment();
        }
    },
    /** Our removal against removal without o/psi, weight-norm and random pruning ({@link PruningExperiment}). */
    PRUNING("pruning") {
        @Override
        public Experiment create() {
            return new PruningExperiment();
        }
    },
    /** Start x target widths, moved linearly during training ({@link NeuroabundanceExperiment}). */
    NEUROABUNDANCE("neuroabundance") {
        @Override
        public Experiment create() {
            return new NeuroabundanceExperiment();
        }
    },
    /** Parameters saved, outputs and inference time of sparsified networks by depth ({@link SparsificationExperiment}). */
    SPARSIFICATION_DEPTH("sparsification-depth") {
        @Override
        public Experiment create() {
            return new SparsificationExperiment();
        }
    },
    /** Singular spectra of every hidden layer after every epoch of an adaptive run ({@link SpectraExperiment}). */
    SPECTRA("spectra") {
        @Override
        public Experiment create() {
            return new SpectraExperiment();
        }
    };

    private final String label;

    ExperimentName(String label) {
        this.label = label;
    }

    /** A new instance of the experiment. */
    public abstract Experiment create();

    /** The option value, e.g. {@code width-sweep}: what picocli lists and matches. */
    @Override
    public String toString() {
        return label;
    }
}
