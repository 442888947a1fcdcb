package io.gemforce.sync.chain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The answers of one round of log reads ({@link ChainSource#logsRound}): a range's logs with its
 * last block's header, and further queries that rode along in the same round trip.
 *
 * @param main the range's answer, or {@code null} when there was no main query or it was refused
 * @param refused the node's refusal of the main query, or {@code null}
 * @param extra the logs of each further query, in order; an element is {@code null} when the node
 *     refused that query (the caller reads it again, in smaller ranges)
 */
public record LogsRound(RangeLogs main, ChainException.RangeTooLarge refused, List<List<RawLog>> extra) {
    public LogsRound {
        extra = Collections.unmodifiableList(new ArrayList<>(extra));
    }
}
