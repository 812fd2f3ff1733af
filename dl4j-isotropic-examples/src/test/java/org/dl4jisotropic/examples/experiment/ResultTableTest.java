package org.dl4jisotropic.examples.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Result tables: one cell per column, and GitHub Markdown as written by hand. */
class ResultTableTest {

    @Test
    void writesATitledMarkdownTable() {
        ResultTable table = ResultTable.builder("Widths", "width", "accuracy").row(8, "80.00%").row(16, "82.50%")
                .build();
        assertEquals("**Widths**\n\n| width | accuracy |\n|---|---|\n| 8 | 80.00% |\n| 16 | 82.50% |\n",
                table.toMarkdown());
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsRefusedNamingTheTable() {
        ResultTable.Builder builder = ResultTable.builder("Widths", "width", "accuracy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.row(8));
        assertTrue(e.getMessage().contains("Widths") && e.getMessage().contains("2 columns"), e.getMessage());
    }
}
