package io.galapagos.space;

/**
 * A value rejected by a record's validation, with the configuration key it came from, so that config
 * loading can report file, key and value in one line.
 */
public final class InvalidValueException extends IllegalArgumentException {

    private final String key;
    private final String value;
    private final boolean text;

    public InvalidValueException(String key, Object value, String reason) {
        this(key, String.valueOf(value), false, reason);
    }

    private InvalidValueException(String key, String value, boolean text, String reason) {
        super(key + ": " + (text ? "'" + value + "'" : value) + " " + reason);
        this.key = key;
        this.value = value;
        this.text = text;
    }

    /** A text value rejected: messages show it quoted, and count its own characters only. */
    public static InvalidValueException ofText(String key, String value, String reason) {
        return new InvalidValueException(key, value, true, reason);
    }

    /** The configuration key, relative to the section of the record that rejected it. */
    public String key() {
        return key;
    }

    public String value() {
        return value;
    }

    /** Whether the value is text ({@link #ofText}). */
    public boolean text() {
        return text;
    }

    /** The reason alone, without key and value. */
    public String reason() {
        return getMessage().substring(key.length() + 2 + value.length() + (text ? 2 : 0) + 1);
    }
}
