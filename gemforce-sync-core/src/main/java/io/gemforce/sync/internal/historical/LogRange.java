package io.gemforce.sync.internal.historical;

import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import java.util.List;
import java.util.Set;

/**
 * The logs of one inclusive block range, ordered by (block, log index) without duplicates, and
 * the addresses they were read for (diamonds found later are read separately for the same range),
 * the header of the last block as read with them ({@code null} when the chain is not that long), and
 * what the stream's {@code prepare} function made of the logs on the reader thread ({@code null}
 * when none).
 */
public record LogRange(long fromBlock, long toBlock, List<RawLog> logs, Set<Address> readWith, BlockRef end,
        Object prepared) {
    public LogRange {
        logs = List.copyOf(logs);
        readWith = Set.copyOf(readWith);
    }
}
