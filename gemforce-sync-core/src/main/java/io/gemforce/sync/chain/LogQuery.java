package io.gemforce.sync.chain;

import io.gemforce.sync.diamond.Address;
import java.util.List;

/**
 * One {@code eth_getLogs} request: an inclusive block range, the emitting addresses and an OR-list
 * of topic0 values.
 *
 * <p>{@code addresses} is never empty, except in a query for <em>any</em> emitter
 * ({@link #anyAddress}), which has topic0 values and is only sent to a source whose
 * {@link ChainSource#anyAddressLogs()} is {@code true}.
 */
public record LogQuery(long fromBlock, long toBlock, List<Address> addresses, List<String> topic0s) {
    public LogQuery {
        if (fromBlock < 0 || toBlock < fromBlock) {
            throw new IllegalArgumentException("invalid range " + fromBlock + ".." + toBlock);
        }
        addresses = List.copyOf(addresses);
        topic0s = List.copyOf(topic0s);
        if (addresses.isEmpty() && topic0s.isEmpty()) {
            throw new IllegalArgumentException("a log query needs at least one address or, for any emitter, a topic0");
        }
    }

    /** The logs of these topic0 values whatever contract emitted them (no address filter). */
    public static LogQuery anyAddress(long fromBlock, long toBlock, List<String> topic0s) {
        if (topic0s.isEmpty()) {
            throw new IllegalArgumentException("a query for any emitter needs at least one topic0");
        }
        return new LogQuery(fromBlock, toBlock, List.of(), topic0s);
    }

    /** Whether this query asks for any emitter's logs ({@link #anyAddress}). */
    public boolean anyAddress() {
        return addresses.isEmpty();
    }

    public long blockCount() {
        return toBlock - fromBlock + 1;
    }
}
