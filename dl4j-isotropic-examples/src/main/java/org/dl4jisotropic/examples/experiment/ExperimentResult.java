package org.dl4jisotropic.examples.experiment;

import java.util.List;
import java.util.Map;

/**
 * What an experiment produced.
 *
 * @param tables the result tables, headline first
 * @param claims the claims tested, with their verdicts
 * @param plots  PNG files written to the output folder (file names)
 * @param data   the unformatted numbers behind the tables, for report.json
 */
public record ExperimentResult(List<ResultTable> tables, List<Claim> claims, List<String> plots,
                               Map<String, Object> data) {

    /** Copies the collections. */
    public ExperimentResult {
        tables = List.copyOf(tables);
        claims = List.copyOf(claims);
        plots = List.copyOf(plots);
        data = Map.copyOf(data);
    }
}
