package org.dl4jisotropic.examples.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;

/** {@code experiment pruning --quick}: its invariants (not its accuracy). */
class PruningExperimentTest {

    /** Quick mode prunes a 784-16-16-10 network. */
    private static final long QUICK_WIDTH = 16;
    /**
     * Float32 rounding of an exact removal (constant neurons with o and psi updated; an all-zero neuron): the method
     * notes' float tolerance, 1e-5 relative, on logits of order 1-10.
     */
    private static final double EXACT_IN_FLOAT = 1e-4;
    /** What "visibly wrong" means for a removal without the o/psi updates (the method notes: about 1e-2). */
    private static final double VISIBLY_WRONG = 1e-3;

    @TempDir
    static Path out;

    private static QuickExperiment run;

    @BeforeAll
    static void runQuick() throws IOException {
        run = QuickExperiment.run(ExperimentName.PRUNING, out);
    }

    @Test
    void writesTheReportTheMarkdownAndTheAccuracyPlot() throws IOException {
        run.assertFilesWritten(ExperimentName.PRUNING, 1);
    }

    @Test
    void everyMethodRunsAtEveryFraction() {
        JsonNode removals = run.data().get("removals");
        assertEquals(PruningExperiment.FRACTIONS.length * PruningMethod.values().length, removals.size());
        assertEquals(removals.size(), run.rows(0).size());
    }

    @Test
    void everyMethodLeavesTheRoundedFractionOfEachLayerAndTheMatchingParameterCount() {
        for (JsonNode r : run.data().get("removals")) {
            long kept = QUICK_WIDTH - Math.round(r.get("fraction").asDouble() * QUICK_WIDTH);
            assertEquals(List.of(kept, kept), QuickExperiment.longs(r.get("widths")), r.toString());
            assertEquals(Parameters.mlp(List.of(kept, kept)), r.get("parameters").asLong(), r.toString());
        }
    }

    @Test
    void ourRemovalOfConstantNeuronsIsExactAndWithoutTheOPsiUpdatesItIsVisiblyWrong() {
        JsonNode constants = run.data().get("constantNeurons");
        assertEquals(PruningMethod.SINGULAR_VALUES.name(), constants.get(0).get("method").asText());
        assertEquals(PruningMethod.SINGULAR_VALUES_WITHOUT_COMPENSATION.name(),
                constants.get(1).get("method").asText());
        double ours = constants.get(0).get("maxLogitChange").asDouble();
        double without = constants.get(1).get("maxLogitChange").asDouble();
        assertTrue(ours <= EXACT_IN_FLOAT, "ours " + ours);
        assertTrue(without >= VISIBLY_WRONG, "without " + without);
        assertTrue(ours <= without);
    }

    @Test
    void ourMeasuredChangeIsWithinTheBoundOfEveryBoundedStep() {
        int bounded = 0;
        for (JsonNode r : run.data().get("removals")) {
            if (!r.get("method").asText().equals(PruningMethod.SINGULAR_VALUES.name())) {
                continue;
            }
            for (int i = 0; i < r.get("stepBounds").size(); i++) {
                JsonNode bound = r.get("stepBounds").get(i);
                if (bound.isNumber()) {
                    bounded++;
                    assertTrue(r.get("stepChanges").get(i).asDouble() <= bound.asDouble(), r.toString());
                }
            }
        }
        assertEquals(PruningExperiment.FRACTIONS.length, bounded, "the second hidden layer's step has a bound");
    }

    @Test
    void baselinesRemoveExactlyTheNeuronsTheyZeroed() {
        // A zeroed neuron is removed by the final shrink without any change: so the baseline is exactly "these
        // neurons gone, no compensation", whatever the shrink's own choice would have been.
        for (JsonNode r : run.data().get("removals")) {
            String method = r.get("method").asText();
            if (method.equals(PruningMethod.WEIGHT_NORM.name()) || method.equals(PruningMethod.RANDOM.name())) {
                for (JsonNode step : r.get("stepChanges")) {
                    assertTrue(step.asDouble() <= EXACT_IN_FLOAT, r.toString());
                }
            }
        }
    }
}
