package org.dl4jisotropic.examples.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A table of an experiment's results: a title, column names and rows of already formatted cells. Invariant: every
 * row has exactly one cell per column (checked when the row is added). Written as Markdown and, with the rest of the
 * report, as JSON; the unformatted numbers go to the report's data block.
 *
 * @param title   what the table shows
 * @param columns column names
 * @param rows    formatted cells, one list per row
 */
public record ResultTable(String title, List<String> columns, List<List<String>> rows) {

    /** Copies the lists. */
    public ResultTable {
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
    }

    /** Starts a table with these columns. */
    public static Builder builder(String title, String... columns) {
        return new Builder(title, List.of(columns));
    }

    /** The table as GitHub Markdown (a bold title line, then the table). */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder("**").append(title).append("**\n\n| ");
        md.append(String.join(" | ", columns)).append(" |\n|");
        md.append("---|".repeat(columns.size())).append('\n');
        for (List<String> row : rows) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return md.toString();
    }

    /** Collects rows. */
    public static final class Builder {
        private final String title;
        private final List<String> columns;
        private final List<List<String>> rows = new ArrayList<>();

        private Builder(String title, List<String> columns) {
            this.title = Objects.requireNonNull(title, "title");
            this.columns = columns;
        }

        /**
         * Adds a row; each cell is written with {@link String#valueOf(Object)}.
         *
         * @throws IllegalArgumentException if the row does not have one cell per column
         */
        public Builder row(Object... cells) {
            if (cells.length != columns.size()) {
                throw new IllegalArgumentException("table \"" + title + "\" has " + columns.size() + " columns, a "
                        + "row had " + cells.length + " cells");
            }
            List<String> row = new ArrayList<>();
            for (Object cell : cells) {
                row.add(String.valueOf(cell));
            }
            rows.add(row);
            return this;
        }

        /** The table. */
        public ResultTable build() {
            return new ResultTable(title, columns, rows);
        }
    }
}
