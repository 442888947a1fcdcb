package io.gemforce.sync.parse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One page of query results.
 *
 * @param count the total number of matching objects when the query asked for it, else -1
 */
public record QueryResult(List<ObjectNode> results, long count) {
    public QueryResult {
        results = List.copyOf(results);
    }
}
