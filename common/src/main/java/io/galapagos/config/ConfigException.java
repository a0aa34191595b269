package io.galapagos.config;

/**
 * A configuration that cannot be used. {@link #getMessage()} is one line naming where the value came from (the
 * file, or a {@code --set KEY=VALUE}), the key and the bad value, fit to show a user as it is: line breaks and
 * other control characters in values are escaped, so that no value can add a line.
 */
public final class ConfigException extends RuntimeException {

    /** Values longer than this are shown abbreviated: a message quotes a value, it need not reproduce it. */
    private static final int SHOWN_CHARACTERS = 100;

    private final String source;
    private final String key;
    private final String detail;

    public ConfigException(String source, String key, String detail) {
        this(source, key, key, detail);
    }

    /**
     * @param shownKey the key as the message shows it: empty when {@code source} already names it (an error in
     *                 the value of {@code --set trials=x} is about {@code trials})
     */
    ConfigException(String source, String key, String shownKey, String detail) {
        super(oneLine(source + ": " + (shownKey.isEmpty() ? "" : shownKey + ": ") + detail));
        this.source = source;
        this.key = key;
        this.detail = detail;
    }

    /** The dotted key that is wrong, or empty when the problem is not one key's (syntax). */
    public String key() {
        return key;
    }

    /** Where the value came from: a file, a {@code --set KEY=VALUE}, a command-line option. */
    public String source() {
        return source;
    }

    /** What is wrong, without source and key. */
    public String detail() {
        return detail;
    }

    /**
     * A value as messages show it, quoted when it is text: {@code 'abc'}; a value longer than 100 characters is cut,
     * with its length, e.g. {@code 'xxxx…' (10000 characters)}.
     */
    static String shown(String text, boolean quoted) {
        String cut = text.length() <= SHOWN_CHARACTERS ? text : text.substring(0, SHOWN_CHARACTERS) + "…";
        String q = quoted ? "'" : "";
        return q + cut + q + (text.length() <= SHOWN_CHARACTERS ? "" : " (" + text.length() + " characters)");
    }

    /** Escapes line breaks and other control characters ({@code \n}, {@code \u0000}), so that the text is one line. */
    private static String oneLine(String text) {
        StringBuilder s = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        s.append(String.format(java.util.Locale.ROOT, "\\u%04x", c));
                    } else {
                        s.appendCodePoint(c);
                    }
                }
            }
        });
        return s.toString();
    }
}
