package io.gemforce.sync.examples.service;

/** A configuration file that cannot be used; the message names the file, line, column and key. */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
