package io.gemforce.sync.chain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The logs of one {@code eth_getLogs} query and the header of the query's last block, read together
 * (one JSON-RPC batch where the node allows): the header's hash becomes the checkpoint's.
 *
 * @param logs the logs, in any order
 * @param end the header of {@code toBlock}, empty when the chain is not that long
 */
public record RangeLogs(List<RawLog> logs, Optional<BlockRef> end) {
    public RangeLogs {
        logs = List.copyOf(logs);
        Objects.requireNonNull(end, "end");
    }
}
