package io.galapagos.space;

/**
 * A value rejected by a record's validation, with the configuration key it came from, so that config
 * loading can report file, key and value in one line.
 */
public final class InvalidValueException extends IllegalArgumentException {

    private final String key;
    private final String value;

    public InvalidValueException(String key, Object value, String reason) {
        super(key + ": " + value + " " + reason);
        this.key = key;
        this.value = String.valueOf(value);
    }

    /** The configuration key, relative to the section of the record that rejected it. */
    public String key() {
        return key;
    }

    public String value() {
        return value;
    }

    /** The reason alone, without key and value. */
    public String reason() {
        return getMessage().substring(key.length() + 2 + value.length() + 1);
    }
}
