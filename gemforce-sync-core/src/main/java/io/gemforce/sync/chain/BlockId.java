package io.gemforce.sync.chain;

import java.util.Objects;

/** A block number with the hash it had when it was read: what reorg detection compares. */
public record BlockId(long number, String hash) {
    public BlockId {
        if (number < 0) {
            throw new IllegalArgumentException("block number must not be negative");
        }
        Objects.requireNonNull(hash, "hash");
    }
}
