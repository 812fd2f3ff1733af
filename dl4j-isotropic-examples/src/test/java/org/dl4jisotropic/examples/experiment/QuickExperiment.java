package org.dl4jisotropic.examples.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.dl4jisotropic.examples.cli.IsotropicCli;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * One {@code isotropic experiment NAME --quick} run through the command line, in this JVM, on Fashion-MNIST (as CI
 * installs it), with its report.json parsed: what the experiment tests check invariants on.
 *
 * @param out    the output folder
 * @param report report.json
 * @param stdout what the command printed
 */
record QuickExperiment(Path out, JsonNode report, String stdout) {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    /** Runs the experiment in quick mode into {@code out}; fails the test on a non-zero exit code. */
    static QuickExperiment run(ExperimentName name, Path out) throws IOException {
        System.setProperty("java.awt.headless", "true");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = IsotropicCli.execute(new PrintWriter(stdout, true), new PrintWriter(stderr, true), "experiment",
                name.toString(), "--quick", "--data", "fashion-mnist", "--out", out.toString());
        assertEquals(0, code, stdout + "\n" + stderr);
        return new QuickExperiment(out, new ObjectMapper().readTree(out.resolve(ExperimentReport.JSON).toFile()),
                stdout.toString());
    }

    /** The report's data block. */
    JsonNode data() {
        return report.get("data");
    }

    /**
     * Checks the files every experiment writes: report.json (with the machine and the command), results.md (with
     * the command and every table's title) and every listed plot as a PNG; and the summary on stdout.
     */
    void assertFilesWritten(ExperimentName name, int expectedPlots) throws IOException {
        assertEquals(name.toString(), report.get("experiment").asText());
        assertTrue(report.get("quick").asBoolean());
        assertTrue(report.get("machine").get("cores").asInt() >= 1, "cores recorded");
        assertTrue(report.get("wallSeconds").asDouble() > 0, "wall time recorded");
        String command = report.get("command").asText();
        assertTrue(command.contains("experiment " + name + " --quick"), command);
        String markdown = Files.readString(out.resolve(ExperimentReport.MARKDOWN));
        assertTrue(markdown.contains(command), "results.md carries the command");
        for (JsonNode table : report.get("tables")) {
            assertTrue(markdown.contains(table.get("title").asText()), "results.md has " + table.get("title"));
            assertTrue(stdout.contains(table.get("title").asText()), "the summary has " + table.get("title"));
        }
        assertEquals(expectedPlots, report.get("plots").size(), "plots listed");
        for (JsonNode plot : report.get("plots")) {
            byte[] bytes = Files.readAllBytes(out.resolve(plot.asText()));
            assertArrayEquals(PNG_MAGIC, Arrays.copyOf(bytes, PNG_MAGIC.length), plot + " is a PNG");
        }
    }

    /** The i-th table's rows, as cells. */
    List<List<String>> rows(int table) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : report.get("tables").get(table).get("rows")) {
            List<String> cells = new ArrayList<>();
            row.forEach(cell -> cells.add(cell.asText()));
            rows.add(cells);
        }
        return rows;
    }

    /** A JSON array of numbers as longs. */
    static List<Long> longs(JsonNode array) {
        List<Long> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asLong()));
        return values;
    }
}
