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

/** {@code experiment width-sweep --quick}: its invariants (not its accuracy, which means nothing at this size). */
class WidthSweepExperimentTest {

    /** Quick mode: fixed widths 8 and 16, adaptive runs from 8 and 16, one seed. */
    private static final List<Integer> QUICK_WIDTHS = List.of(8, 16);

    @TempDir
    static Path out;

    private static QuickExperiment run;

    @BeforeAll
    static void runQuick() throws IOException {
        run = QuickExperiment.run(ExperimentName.WIDTH_SWEEP, out);
    }

    @Test
    void writesTheReportTheMarkdownAndTheAccuracyAgainstParametersPlot() throws IOException {
        run.assertFilesWritten(ExperimentName.WIDTH_SWEEP, 1);
    }

    @Test
    void hasOneRowPerFixedWidthAndPerAdaptiveStartAndOneClaimPerAdaptiveStart() {
        List<List<String>> rows = run.rows(0);
        assertEquals(2 * QUICK_WIDTHS.size(), rows.size());
        for (int i = 0; i < QUICK_WIDTHS.size(); i++) {
            assertTrue(rows.get(i).get(0).startsWith("fixed " + QUICK_WIDTHS.get(i)), rows.get(i).get(0));
            assertTrue(rows.get(QUICK_WIDTHS.size() + i).get(0).startsWith("adaptive from " + QUICK_WIDTHS.get(i)));
        }
        assertEquals(QUICK_WIDTHS.size(), run.report().get("claims").size());
    }

    @Test
    void fixedRunsKeepTheirWidthAndHaveTheHandDerivedParameterCount() {
        for (JsonNode r : run.data().get("runs")) {
            if (!r.get("adaptive").asBoolean()) {
                long w = r.get("startWidth").asLong();
                assertEquals(List.of(w, w), QuickExperiment.longs(r.get("finalWidths")));
                assertEquals(Parameters.mlp(List.of(w, w)), r.get("parameters").asLong(), "fixed " + w);
            }
        }
    }

    @Test
    void adaptiveRunsReportTheParametersOfTheWidthsTheyEndedAt() {
        for (JsonNode r : run.data().get("runs")) {
            if (r.get("adaptive").asBoolean()) {
                List<Long> widths = QuickExperiment.longs(r.get("finalWidths"));
                assertEquals(Parameters.mlp(widths), r.get("parameters").asLong(), "adaptive, widths " + widths);
            }
        }
    }
}
