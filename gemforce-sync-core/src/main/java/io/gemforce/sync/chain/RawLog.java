package io.gemforce.sync.chain;

import io.gemforce.sync.diamond.Address;
import java.util.List;
import java.util.Objects;

/**
 * A log as {@code eth_getLogs} returns it. Topics and data are 0x-prefixed lower-case hex.
 */
public record RawLog(Address address, List<String> topics, String data, long blockNumber,
        String blockHash, String transactionHash, long logIndex) {
    public RawLog {
        Objects.requireNonNull(address, "address");
        topics = List.copyOf(topics);
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(blockHash, "blockHash");
        Objects.requireNonNull(transactionHash, "transactionHash");
        if (blockNumber < 0 || logIndex < 0) {
            throw new IllegalArgumentException("negative block number or log index");
        }
    }

    /** The first topic, or {@code null} for an anonymous log. */
    public String topic0() {
        return topics.isEmpty() ? null : topics.get(0);
    }
}
