package io.galapagos.config;

/**
 * A configuration that cannot be used. {@link #getMessage()} is one line naming the file, the key and
 * the bad value, fit to show a user as it is.
 */
public final class ConfigException extends RuntimeException {

    private final String key;

    public ConfigException(String source, String key, String detail) {
        super(source + ": " + (key.isEmpty() ? "" : key + ": ") + detail);
        this.key = key;
    }

    /** The dotted key that is wrong, or empty when the problem is not one key's (syntax). */
    public String key() {
        return key;
    }
}
