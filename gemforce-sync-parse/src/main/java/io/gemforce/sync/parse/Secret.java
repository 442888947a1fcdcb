package io.gemforce.sync.parse;

import java.util.Arrays;
import java.util.Objects;

/**
 * A credential (the Parse master key) that never shows itself: {@link #toString()} is redacted, there
 * is no public accessor, and {@link #destroy()} wipes the copy this object holds. Only the HTTP
 * client of this package reads the value, to put it in a request header.
 */
public final class Secret {
    private static final String REDACTED = "Secret[redacted]";
    private final char[] value;
    private volatile boolean destroyed;

    private Secret(char[] value) {
        Objects.requireNonNull(value, "value");
        if (value.length == 0) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        this.value = value.clone();
    }

    /** A secret holding a copy of {@code value}; the caller may wipe its array afterwards. */
    public static Secret of(char[] value) {
        return new Secret(value);
    }

    /** A secret from a string (for example an environment variable). */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        return new Secret(value.toCharArray());
    }

    /** The value, for the request header only. Package-private on purpose. */
    String reveal() {
        if (destroyed) {
            throw new IllegalStateException("the secret was destroyed");
        }
        return new String(value);
    }

    /** Whether {@code text} contains this secret (used to scrub messages that echo input). */
    boolean occursIn(CharSequence text) {
        return text != null && !destroyed && text.toString().contains(new String(value));
    }

    /** Replaces every occurrence of this secret in {@code text} with {@code ****}. */
    String scrub(String text) {
        if (text == null || destroyed) {
            return text;
        }
        return text.replace(new String(value), "****");
    }

    /** Overwrites the held value; the secret cannot be used afterwards. */
    public void destroy() {
        destroyed = true;
        Arrays.fill(value, '\0');
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
