package io.gemforce.sync.event;

import java.util.Comparator;
import java.util.Objects;

/** Where a log sits in the chain. Logs are ordered by block number, then log index. */
public record LogPosition(long blockNumber, String blockHash, String transactionHash, long logIndex)
        implements Comparable<LogPosition> {
    static final Comparator<LogPosition> ORDER =
            Comparator.comparingLong(LogPosition::blockNumber).thenComparingLong(LogPosition::logIndex);

    public LogPosition {
        Objects.requireNonNull(blockHash, "blockHash");
        Objects.requireNonNull(transactionHash, "transactionHash");
    }

    /** {@code chainId:transactionHash:logIndex}: the event's identity in every store. */
    public String uid(long chainId) {
        return chainId + ":" + transactionHash + ":" + logIndex;
    }

    @Override
    public int compareTo(LogPosition o) {
        return ORDER.compare(this, o);
    }
}
