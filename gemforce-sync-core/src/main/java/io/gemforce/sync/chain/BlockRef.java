package io.gemforce.sync.chain;

import java.util.Objects;

/** A block header as far as the syncer needs it. Hashes are 0x-prefixed lower-case hex. */
public record BlockRef(long number, String hash, String parentHash, long timestamp) {
    public BlockRef {
        if (number < 0) {
            throw new IllegalArgumentException("block number must not be negative");
        }
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(parentHash, "parentHash");
    }

    public BlockId id() {
        return new BlockId(number, hash);
    }
}
