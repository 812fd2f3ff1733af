package org.dl4jisotropic.examples.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;

/** {@code experiment neuroabundance --quick}: its invariants (not its accuracy). */
class NeuroabundanceExperimentTest {

    /** Quick mode: widths 4, 8, 16 and three epochs (one per phase). */
    private static final List<Long> QUICK_WIDTHS = List.of(4L, 8L, 16L);

    @TempDir
    static Path out;

    private static QuickExperiment run;

    @BeforeAll
    static void runQuick() throws IOException {
        run = QuickExperiment.run(ExperimentName.NEUROABUNDANCE, out);
    }

    @Test
    void writesTheReportTheMarkdownAndThePlot() throws IOException {
        run.assertFilesWritten(ExperimentName.NEUROABUNDANCE, 1);
    }

    @Test
    void theHeadlineTableIsStartByTargetThreeByThree() {
        List<List<String>> grid = run.rows(0);
        assertEquals(QUICK_WIDTHS.size(), grid.size());
        for (int i = 0; i < grid.size(); i++) {
            assertEquals(1 + QUICK_WIDTHS.size(), grid.get(i).size());
            assertEquals("start " + QUICK_WIDTHS.get(i), grid.get(i).get(0));
        }
        assertEquals(QUICK_WIDTHS.size() * QUICK_WIDTHS.size(), run.data().get("pairs").size());
    }

    @Test
    void everyRunHoldsItsStartWidthThenMovesToItsTargetAndEndsThere() {
        // Three epochs: one at the start width, the move in one step, one at the target (hand-derived schedule).
        for (JsonNode pair : run.data().get("pairs")) {
            long start = pair.get("start").asLong();
            long target = pair.get("target").asLong();
            JsonNode widths = pair.get("widths");
            assertEquals(3, widths.size());
            assertEquals(List.of(start, start), QuickExperiment.longs(widths.get(0)), pair.toString());
            assertEquals(List.of(target, target), QuickExperiment.longs(widths.get(1)), pair.toString());
            assertEquals(List.of(target, target), QuickExperiment.longs(widths.get(2)), pair.toString());
            assertEquals(Parameters.mlp(List.of(target, target)), pair.get("parameters").asLong());
        }
    }
}
