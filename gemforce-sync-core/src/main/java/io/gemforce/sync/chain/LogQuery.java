package io.gemforce.sync.chain;

import io.gemforce.sync.diamond.Address;
import java.util.List;

/**
 * One {@code eth_getLogs} request: an inclusive block range, the emitting addresses (never empty:
 * the syncer never asks for the logs of the whole chain) and an OR-list of topic0 values.
 */
public record LogQuery(long fromBlock, long toBlock, List<Address> addresses, List<String> topic0s) {
    public LogQuery {
        if (fromBlock < 0 || toBlock < fromBlock) {
            throw new IllegalArgumentException("invalid range " + fromBlock + ".." + toBlock);
        }
        addresses = List.copyOf(addresses);
        topic0s = List.copyOf(topic0s);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a log query needs at least one address");
        }
    }

    public long blockCount() {
        return toBlock - fromBlock + 1;
    }
}
