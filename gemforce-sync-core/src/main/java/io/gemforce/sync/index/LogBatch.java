package io.gemforce.sync.index;

import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.RawLog;
import java.util.List;

/**
 * The logs of one inclusive block range, ordered by (block, log index) with duplicates dropped,
 * and the header of the range's last block (its hash becomes the checkpoint's).
 */
public record LogBatch(long fromBlock, long toBlock, List<RawLog> logs, BlockRef endBlock) {
    public LogBatch {
        logs = List.copyOf(logs);
    }
}
