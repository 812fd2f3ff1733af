package org.dl4jisotropic.examples.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.dl4jisotropic.examples.report.Provenance;
import org.dl4jisotropic.examples.report.RunReport;

/**
 * Everything one {@code isotropic experiment} run produced, with where and how: written as {@code report.json}
 * (Jackson, every field) and {@code results.md} (the command, the machine, the wall time, every table, the claims
 * and the plots), and printed as a summary.
 *
 * @param experiment  the experiment's option value, e.g. {@code width-sweep}
 * @param command     the command line that produced it
 * @param quick       whether this was the tiny CI version
 * @param scale       seeds, epochs and data sizes
 * @param dataset     which data was used and why
 * @param machine     cores, CPU, AVX-512 flags and date
 * @param provenance  library, DL4J, ND4J, backend, Java and OS versions
 * @param wallSeconds wall time of the experiment (data loading excluded)
 * @param tables      result tables, headline first
 * @param claims      claims tested and their verdicts
 * @param plots       PNG files beside the report
 * @param data        unformatted numbers
 */
public record ExperimentReport(String experiment, String command, boolean quick, Scale scale, String dataset,
                               Machine machine, Provenance provenance, double wallSeconds, List<ResultTable> tables,
                               List<Claim> claims, List<String> plots, Map<String, Object> data) {

    /** File name of the JSON report. */
    public static final String JSON = "report.json";
    /** File name of the Markdown report. */
    public static final String MARKDOWN = "results.md";

    /** Copies the collections. */
    public ExperimentReport {
        tables = List.copyOf(tables);
        claims = List.copyOf(claims);
        plots = List.copyOf(plots);
        data = Map.copyOf(data);
    }

    /** Writes report.json and results.md into {@code out}. */
    public void write(Path out) throws IOException {
        RunReport.write(this, out.resolve(JSON));
        Files.writeString(out.resolve(MARKDOWN), toMarkdown());
    }

    /** The Markdown page: command, machine, scale, wall time, tables, claims, plots. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder("## Experiment: ").append(experiment)
                .append(quick ? " (quick: tiny sizes, numbers mean nothing)" : "").append("\n\n");
        md.append("```bash\n").append(command).append("\n```\n\n");
        md.append("- machine: ").append(machine.describe()).append('\n');
        md.append("- data: ").append(dataset).append('\n');
        md.append(String.format("- scale: %d seed(s), %d epoch(s), at most %d training and %d test examples%n",
                scale.seeds(), scale.epochs(), scale.trainLimit(), scale.testLimit()));
        md.append(String.format("- wall time: %.0f s (%.1f min)%n%n", wallSeconds, wallSeconds / 60));
        for (ResultTable table : tables) {
            md.append(table.toMarkdown()).append('\n');
        }
        if (!claims.isEmpty()) {
            ResultTable.Builder verdicts = ResultTable.builder("Claims", "claim", "verdict", "numbers");
            for (Claim claim : claims) {
                verdicts.row(claim.statement(), claim.held() ? "**held**" : "**not held**", claim.evidence());
            }
            md.append(verdicts.build().toMarkdown()).append('\n');
        }
        for (String plot : plots) {
            md.append("![").append(plot).append("](").append(plot).append(")\n\n");
        }
        return md.toString();
    }

    /** The summary on stdout: every table, the claims and the wall time. */
    public void printSummary(PrintWriter out) {
        for (ResultTable table : tables) {
            out.println(table.toMarkdown());
        }
        for (Claim claim : claims) {
            out.println((claim.held() ? "HELD     " : "NOT HELD ") + claim.statement() + " (" + claim.evidence() + ")");
        }
        out.printf("%s took %.0f s%n", experiment, wallSeconds);
    }
}
