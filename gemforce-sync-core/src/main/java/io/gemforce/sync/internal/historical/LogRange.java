package io.gemforce.sync.internal.historical;

import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The logs of one inclusive block range, ordered by (block, log index) without duplicates, and
 * the addresses they were read for (diamonds found later are read separately for the same range),
 * the header of the last block as read with them ({@code null} when the chain is not that long), and
 * what the stream's {@code prepare} function made of the logs on the reader thread ({@code null}
 * when none).
 *
 * <p>A range read for any emitter ({@code anyAddress}) holds in {@code logs} those of the addresses
 * known when it was sealed ({@code readWith}, a diamond found by the stream from its creation block
 * on) and in {@code others} the rest, ordered too: the logs of an address that turns out to be
 * wanted are taken from there instead of being read again. Otherwise {@code others} is empty.
 */
public record LogRange(long fromBlock, long toBlock, List<RawLog> logs, Set<Address> readWith, BlockRef end,
        Object prepared, boolean anyAddress, List<RawLog> others) {
    public LogRange {
        logs = List.copyOf(logs);
        readWith = Set.copyOf(readWith);
        others = List.copyOf(others);
    }

    /**
     * What this range holds of {@code addresses} from block {@code from} on, when it was read for any
     * emitter; else {@code null} (they must be read).
     */
    public List<RawLog> othersOf(long from, Collection<Address> addresses) {
        if (!anyAddress) {
            return null;
        }
        Set<Address> wanted = Set.copyOf(addresses);
        return others.stream().filter(l -> l.blockNumber() >= from && wanted.contains(l.address())).toList();
    }
}
