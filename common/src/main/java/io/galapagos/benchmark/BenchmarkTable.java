package io.galapagos.benchmark;

import io.galapagos.trial.Metrics;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A tabular benchmark in memory: a CSV with a header row, an {@code arch} column holding each
 * architecture's canonical text, and any number of numeric metric columns (other non-numeric columns are
 * not allowed; an {@code index} column is just another number). An empty cell is a missing value (as pandas
 * writes one) and reads as NaN, like a {@code NaN} cell: a table may have gaps in columns a search does not
 * read, and {@link #firstGap} finds them in one it does. Immutable and thread-safe once read.
 */
public final class BenchmarkTable {

    public static final String ARCH_COLUMN = "arch";

    private final String source;
    private final List<String> architectures;
    /** The file's line of each row (blank lines are skipped), for messages. */
    private final int[] lines;
    private final Map<String, Integer> rowOf;
    private final Map<String, double[]> columns;

    private BenchmarkTable(String source, List<String> architectures, int[] lines, Map<String, double[]> columns) {
        this.source = source;
        this.architectures = List.copyOf(architectures);
        this.lines = lines;
        this.columns = Collections.unmodifiableMap(columns);
        Map<String, Integer> rows = new HashMap<>(architectures.size() * 2);
        for (int r = 0; r < architectures.size(); r++) {
            if (rows.putIfAbsent(architectures.get(r), r) != null) {
                throw new IllegalArgumentException(source + ": architecture '" + architectures.get(r)
                        + "' appears twice (lines " + lines[rows.get(architectures.get(r))] + " and " + lines[r] + ")");
            }
        }
        this.rowOf = rows;
    }

    /** Reads a whole table; {@code source} names it in error messages (a path or URI). */
    public static BenchmarkTable read(Reader csv, String source) throws IOException {
        BufferedReader in = new BufferedReader(csv);
        String header = in.readLine();
        if (header == null) {
            throw new IllegalArgumentException(source + ": empty table, expected a header row");
        }
        // a spreadsheet's "CSV UTF-8" begins with a byte-order mark, which strip() keeps
        String[] names = header.replaceFirst("^\uFEFF", "").strip().split(",", -1);
        int archAt = List.of(names).indexOf(ARCH_COLUMN);
        if (archAt < 0) {
            throw new IllegalArgumentException(source + ": no '" + ARCH_COLUMN + "' column in the header " + header);
        }
        List<String> architectures = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        int line = 1;
        for (String row = in.readLine(); row != null; row = in.readLine()) {
            line++;
            if (row.isBlank()) {
                continue;
            }
            String[] cells = row.strip().split(",", -1);
            if (cells.length != names.length) {
                throw new IllegalArgumentException(source + ": line " + line + " has " + cells.length
                        + " fields, the header has " + names.length);
            }
            double[] values = new double[names.length];
            for (int c = 0; c < names.length; c++) {
                if (c == archAt) {
                    continue;
                }
                if (cells[c].isBlank()) {
                    values[c] = Double.NaN;
                    continue;
                }
                try {
                    values[c] = Double.parseDouble(cells[c]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(source + ": line " + line + ", column '" + names[c]
                            + "': '" + cells[c] + "' is not a number");
                }
            }
            architectures.add(cells[archAt]);
            lines.add(line);
            rows.add(values);
        }
        if (architectures.isEmpty()) {
            throw new IllegalArgumentException(source + ": the table has no rows");
        }
        Map<String, double[]> columns = new LinkedHashMap<>();
        for (int c = 0; c < names.length; c++) {
            if (c == archAt) {
                continue;
            }
            if (columns.containsKey(names[c]) || names[c].isBlank()) {
                throw new IllegalArgumentException(source + ": column name '" + names[c] + "' is blank or repeated");
            }
            double[] column = new double[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                column[r] = rows.get(r)[c];
            }
            columns.put(names[c], column);
        }
        return new BenchmarkTable(source, architectures, lines.stream().mapToInt(Integer::intValue).toArray(), columns);
    }

    public String source() {
        return source;
    }

    public int size() {
        return architectures.size();
    }

    /** The metric columns, in the table's order. */
    public List<String> columns() {
        return List.copyOf(columns.keySet());
    }

    public String architecture(int row) {
        return architectures.get(row);
    }

    /** The line of the file that holds {@code row}, counted from 1 (the header is line 1). */
    public int line(int row) {
        return lines[row];
    }

    /** The row of an architecture's canonical text, if the table has it. */
    public OptionalInt row(String architecture) {
        Integer r = rowOf.get(architecture);
        return r == null ? OptionalInt.empty() : OptionalInt.of(r);
    }

    /** A column by name; the exception names the table and its columns when there is no such column. */
    public double[] column(String name) {
        double[] column = columns.get(name);
        if (column == null) {
            throw new IllegalArgumentException(source + ": no column '" + name + "'; it has " + columns());
        }
        return column.clone();
    }

    public double value(int row, String column) {
        double[] values = columns.get(column);
        if (values == null) {
            throw new IllegalArgumentException(source + ": no column '" + column + "'; it has " + columns());
        }
        return values[row];
    }

    /**
     * The first row of {@code column} without a finite value (empty, NaN or infinite), which no ranking, optimum or
     * Pareto front can use; empty when every row has one.
     */
    public OptionalInt firstGap(String column) {
        double[] values = columns.get(column);
        if (values == null) {
            throw new IllegalArgumentException(source + ": no column '" + column + "'; it has " + columns());
        }
        for (int r = 0; r < values.length; r++) {
            if (!Double.isFinite(values[r])) {
                return OptionalInt.of(r);
            }
        }
        return OptionalInt.empty();
    }

    /** Every metric column of a row, by column name. */
    public Metrics metrics(int row) {
        Map<String, Double> values = new HashMap<>();
        columns.forEach((name, column) -> values.put(name, column[row]));
        return new Metrics(values);
    }
}
