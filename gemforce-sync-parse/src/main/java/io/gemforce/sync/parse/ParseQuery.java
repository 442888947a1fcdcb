package io.gemforce.sync.parse;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One page of a Parse query ({@code GET /classes/<className>}): {@code where} constraints in Parse's
 * JSON syntax ({@code {"chainId": 1, "blockNumber": {"$gt": 10}}}), {@code order}
 * ({@code "blockNumber,-logIndex"}), {@code limit}, {@code skip}, {@code keys} and {@code count}.
 * Immutable: every method returns a new query.
 */
public final class ParseQuery {
    private final ObjectNode where;
    private final String order;
    private final Integer limit;
    private final Integer skip;
    private final String keys;
    private final boolean count;

    private ParseQuery(ObjectNode where, String order, Integer limit, Integer skip, String keys, boolean count) {
        this.where = where;
        this.order = order;
        this.limit = limit;
        this.skip = skip;
        this.keys = keys;
        this.count = count;
    }

    /** All objects of the class (Parse's default limit of 100 applies unless {@link #limit} is set). */
    public static ParseQuery all() {
        return new ParseQuery(JsonNodeFactory.instance.objectNode(), null, null, null, null, false);
    }

    /** Objects matching {@code where} (copied). */
    public static ParseQuery where(ObjectNode where) {
        Objects.requireNonNull(where, "where");
        return new ParseQuery(where.deepCopy(), null, null, null, null, false);
    }

    public ParseQuery order(String order) {
        return new ParseQuery(where, order, limit, skip, keys, count);
    }

    public ParseQuery limit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        return new ParseQuery(where, order, limit, skip, keys, count);
    }

    public ParseQuery skip(int skip) {
        if (skip < 0) {
            throw new IllegalArgumentException("skip must not be negative");
        }
        return new ParseQuery(where, order, limit, skip, keys, count);
    }

    /** Restricts the fields returned ({@code objectId}, {@code createdAt}, {@code updatedAt} always come). */
    public ParseQuery keys(String... fields) {
        return new ParseQuery(where, order, limit, skip, fields.length == 0 ? null : String.join(",", fields), count);
    }

    /** Asks for the total count of matching objects too. */
    public ParseQuery withCount() {
        return new ParseQuery(where, order, limit, skip, keys, true);
    }

    public ObjectNode where() {
        return where.deepCopy();
    }

    public String order() {
        return order;
    }

    public Integer limit() {
        return limit;
    }

    public Integer skip() {
        return skip;
    }

    public String keys() {
        return keys;
    }

    public boolean count() {
        return count;
    }

    @Override
    public String toString() {
        return "ParseQuery[where=" + where + ", order=" + order + ", limit=" + limit + ", skip=" + skip + ", keys="
                + keys + ", count=" + count + "]";
    }
}
