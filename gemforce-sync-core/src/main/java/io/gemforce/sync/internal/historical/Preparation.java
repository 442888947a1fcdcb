package io.gemforce.sync.internal.historical;

import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.RawLog;
import java.util.List;
import java.util.Map;

/**
 * What a pipeline has done with each range on the reader threads of a {@link LogStream}, beside
 * reading its logs: headers read in the range's own round trip, and work on its complete logs.
 */
public interface Preparation {
    /**
     * The headers to read in the round trip of the range {@code [from, end]}, beside its end's (which
     * always comes with it). Called when the range is dispatched, under the stream's lock: keep it cheap.
     */
    default List<Long> headers(long from, long end) {
        return List.of();
    }

    /** The headers the node gave for {@link #headers}, on a reader thread, before {@link #apply}. */
    default void headersRead(Map<Long, BlockRef> headers) {
    }

    /**
     * On a reader thread, once a range's logs are complete: the range's last block and its ordered
     * logs; the result travels with the range ({@link LogRange#prepared}).
     */
    Object apply(long end, List<RawLog> logs);
}
