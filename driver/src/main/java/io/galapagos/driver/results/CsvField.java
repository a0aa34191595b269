package io.galapagos.driver.results;

/** One field of the CSV files Galapagos writes, quoted as RFC 4180 quotes it when it holds a comma or a quote. */
public final class CsvField {

    private CsvField() {
    }

    /** {@code field} as a CSV field; a line break becomes a space, so that each record stays one line. */
    public static String of(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"").replace('\n', ' ').replace('\r', ' ') + '"';
    }
}
