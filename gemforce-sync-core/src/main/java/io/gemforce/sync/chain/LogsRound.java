package io.gemforce.sync.chain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The answers of one round of log reads ({@link ChainSource#logsRound}): a range's logs with its
 * last block's header, further queries that rode along in the same round trip, and further headers.
 *
 * @param main the range's answer, or {@code null} when there was no main query or it was refused
 * @param refused the node's refusal of the main query, or {@code null}
 * @param extra the logs of each further query, in order; an element is {@code null} when the node
 *     refused that query (the caller reads it again, in smaller ranges)
 * @param headers the further headers asked for, by number; a header the node did not give is absent
 */
public record LogsRound(RangeLogs main, ChainException.RangeTooLarge refused, List<List<RawLog>> extra,
        Map<Long, BlockRef> headers) {
    public LogsRound {
        extra = Collections.unmodifiableList(new ArrayList<>(extra));
        headers = Map.copyOf(headers);
    }

    /** A round without further headers. */
    public LogsRound(RangeLogs main, ChainException.RangeTooLarge refused, List<List<RawLog>> extra) {
        this(main, refused, extra, Map.of());
    }
}
