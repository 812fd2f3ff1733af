package org.dl4jisotropic.examples.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;

/** {@code experiment sparsification-depth --quick}: parameter counts exactly, outputs unchanged. */
class SparsificationExperimentTest {

    /** Quick mode: depths 2, 3, 4 of width 16. */
    private static final long QUICK_WIDTH = 16;
    /**
     * Removed parameters by hand: ceil((D - 1) / 2) diagonal layers of 16 x 16, each keeping 16 weights, so
     * 240 each: D = 2 and 3 have one, D = 4 two.
     */
    private static final Map<Integer, Long> REMOVED_BY_HAND = Map.of(2, 240L, 3, 240L, 4, 480L);
    /** Float32 outputs (softmax probabilities) of a rotated but equal computation. */
    private static final double IDENTICAL_IN_FLOAT = 1e-5;

    @TempDir
    static Path out;

    private static QuickExperiment run;

    @BeforeAll
    static void runQuick() throws IOException {
        run = QuickExperiment.run(ExperimentName.SPARSIFICATION_DEPTH, out);
    }

    @Test
    void writesTheReportTheMarkdownAndBothPlots() throws IOException {
        run.assertFilesWritten(ExperimentName.SPARSIFICATION_DEPTH, 2);
    }

    @Test
    void parametersRemovedEqualTheFormulaExactlyAtEveryDepth() {
        JsonNode depths = run.data().get("depths");
        assertEquals(REMOVED_BY_HAND.size(), depths.size());
        for (JsonNode d : depths) {
            int depth = d.get("depth").asInt();
            long before = d.get("report").get("parametersBefore").asLong();
            long after = d.get("report").get("parametersAfter").asLong();
            assertEquals(Parameters.mlp(Collections.nCopies(depth, QUICK_WIDTH)), before, "dense, depth " + depth);
            assertEquals(REMOVED_BY_HAND.get(depth), before - after, "removed, depth " + depth);
            assertEquals(REMOVED_BY_HAND.get(depth), d.get("formula").asLong(), "the table's formula, depth " + depth);
        }
    }

    @Test
    void sparseOutputsEqualDenseOutputs() {
        for (JsonNode d : run.data().get("depths")) {
            double difference = d.get("maxOutputDifference").asDouble();
            assertTrue(difference <= IDENTICAL_IN_FLOAT, "depth " + d.get("depth") + ": " + difference);
        }
    }

    @Test
    void bothInferenceTimesAreMeasured() {
        for (JsonNode d : run.data().get("depths")) {
            assertTrue(d.get("denseMillis").asDouble() > 0 && d.get("sparseMillis").asDouble() > 0, d.toString());
        }
    }
}
