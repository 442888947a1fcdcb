package io.gemforce.sync.parse;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.SinkException;
import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.PendingUpgrade;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.StoredEvent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Maps the sink's records to Parse rows and back. A row holds exactly the managed fields (nulls as
 * JSON null, which a create omits and an update turns into {@code {"__op":"Delete"}}); reading a row
 * back gives a record {@code equals} to the one written.
 */
final class ParseCodec {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private final ObjectMapper mapper;

    ParseCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    // ------------------------------------------------------------------------------------ encode

    ObjectNode diamondRow(DiamondRecord d) {
        ObjectNode n = F.objectNode();
        n.put("network", d.network());
        n.put("chainId", d.chainId());
        n.put("address", d.address().hex());
        putText(n, "symbol", d.symbol());
        putText(n, "name", d.name());
        putText(n, "factory", d.factory() == null ? null : d.factory().hex());
        putText(n, "owner", d.owner() == null ? null : d.owner().hex());
        n.put("facetCount", d.facetCount());
        n.put("selectorCount", d.selectorCount());
        if (d.createdBlock() == null) {
            n.set("createdBlock", NullNode.instance);
        } else {
            n.put("createdBlock", d.createdBlock().longValue());
        }
        putText(n, "createdTx", d.createdTx());
        n.put("lastSyncedBlock", d.lastSyncedBlock());
        putText(n, "lastSyncedBlockHash", d.lastSyncedBlockHash());
        PendingUpgrade p = d.pendingUpgrade();
        if (p == null) {
            n.set("pendingUpgrade", NullNode.instance);
        } else {
            n.set("pendingUpgrade", mapper.valueToTree(p.toMap()));
        }
        n.put("consistent", d.consistent());
        return n;
    }

    /** The compared fields of a Facet row ({@code addedBlock}/{@code updatedBlock} are added on write). */
    ObjectNode facetRow(DiamondRecord d, Facet f, int position, List<String> functions) {
        ObjectNode n = F.objectNode();
        ObjectNode ptr = n.putObject("diamond");
        ptr.put("__type", "Pointer");
        ptr.put("className", ParseSchema.DIAMOND);
        ptr.put("objectId", ObjectIds.diamond(d.chainId(), d.address()));
        n.put("network", d.network());
        n.put("chainId", d.chainId());
        n.put("diamondAddress", d.address().hex());
        n.put("facetAddress", f.facetAddress().hex());
        n.put("position", position);
        ArrayNode sel = n.putArray("selectors");
        f.selectors().forEach(s -> sel.add(s.hex()));
        ArrayNode fn = n.putArray("functions");
        functions.forEach(fn::add);
        return n;
    }

    ObjectNode eventRow(StoredEvent e) {
        ObjectNode n = F.objectNode();
        n.put("uid", e.uid());
        n.put("network", e.network());
        n.put("chainId", e.chainId());
        n.put("diamondAddress", e.diamondAddress().hex());
        n.put("emitter", e.emitter().hex());
        n.put("eventType", e.eventType().eventName());
        n.put("blockNumber", e.blockNumber());
        n.put("blockHash", e.blockHash());
        n.put("transactionHash", e.transactionHash());
        n.put("logIndex", e.logIndex());
        n.set("args", mapper.valueToTree(e.args()));
        return n;
    }

    ObjectNode syncStateRow(String network, long chainId, Checkpoint cp) {
        ObjectNode n = F.objectNode();
        n.put("network", network);
        n.put("chainId", chainId);
        n.put("scope", cp.scope());
        n.put("lastSyncedBlock", cp.blockNumber());
        n.put("lastSyncedBlockHash", cp.blockHash());
        ArrayNode recent = n.putArray("recent");
        for (BlockId b : cp.recent()) {
            recent.addObject().put("number", b.number()).put("hash", b.hash());
        }
        return n;
    }

    // ------------------------------------------------------------------------------------ decode

    DiamondRecord diamond(ObjectNode row, List<ObjectNode> facetRows) {
        try {
            List<ObjectNode> sorted = new ArrayList<>(facetRows);
            sorted.sort(Comparator.comparingLong((ObjectNode r) -> r.path("position").asLong())
                    .thenComparing(r -> r.path("objectId").asText()));
            List<Facet> facets = new ArrayList<>();
            for (ObjectNode f : sorted) {
                List<Selector> sels = new ArrayList<>();
                for (JsonNode s : f.path("selectors")) {
                    sels.add(Selector.of(s.asText()));
                }
                facets.add(new Facet(Address.of(f.path("facetAddress").asText()), sels));
            }
            PendingUpgrade pending = null;
            JsonNode p = row.get("pendingUpgrade");
            if (p != null && p.isObject()) {
                pending = PendingUpgrade.fromMap(mapper.convertValue(p, java.util.Map.class));
            }
            return new DiamondRecord(row.path("network").asText(), row.path("chainId").asLong(),
                    Address.of(row.path("address").asText()), text(row, "symbol"), text(row, "name"),
                    address(row, "factory"), address(row, "owner"), facets,
                    row.hasNonNull("createdBlock") ? row.get("createdBlock").asLong() : null, text(row, "createdTx"),
                    row.path("lastSyncedBlock").asLong(), text(row, "lastSyncedBlockHash"), pending,
                    row.path("consistent").asBoolean(false));
        } catch (RuntimeException e) {
            throw new SinkException("unreadable Diamond " + row.path("objectId").asText() + ": " + e.getMessage(), e);
        }
    }

    StoredEvent event(ObjectNode row) {
        try {
            Map<String, Object> args = row.hasNonNull("args") ? mapper.convertValue(row.get("args"), MAP) : Map.of();
            return new StoredEvent(row.path("uid").asText(), row.path("network").asText(), row.path("chainId").asLong(),
                    Address.of(row.path("diamondAddress").asText()), Address.of(row.path("emitter").asText()),
                    EventType.parse(row.path("eventType").asText()), row.path("blockNumber").asLong(),
                    row.path("blockHash").asText(), row.path("transactionHash").asText(), row.path("logIndex").asLong(),
                    args);
        } catch (RuntimeException e) {
            throw new SinkException("unreadable DiamondEvent " + row.path("objectId").asText() + ": " + e.getMessage(), e);
        }
    }

    Checkpoint checkpoint(ObjectNode row) {
        try {
            List<BlockId> recent = new ArrayList<>();
            for (JsonNode b : row.path("recent")) {
                recent.add(new BlockId(b.path("number").asLong(), b.path("hash").asText()));
            }
            return new Checkpoint(row.path("scope").asText(), row.path("lastSyncedBlock").asLong(),
                    row.path("lastSyncedBlockHash").asText(), recent);
        } catch (RuntimeException e) {
            throw new SinkException("unreadable SyncState " + row.path("objectId").asText() + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------- compare

    /**
     * Whether the stored row already holds {@code desired}: every field of {@code desired} is equal
     * in {@code stored} (numbers by value, objects regardless of key order, null as absent).
     */
    static boolean holds(ObjectNode stored, ObjectNode desired) {
        Iterator<Map.Entry<String, JsonNode>> it = desired.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode have = stored.get(e.getKey());
            if (!same(have, e.getValue())) {
                return false;
            }
        }
        return true;
    }

    static boolean same(JsonNode a, JsonNode b) {
        boolean aNull = a == null || a.isNull() || a.isMissingNode();
        boolean bNull = b == null || b.isNull() || b.isMissingNode();
        if (aNull || bNull) {
            return aNull && bNull;
        }
        if (a.isNumber() && b.isNumber()) {
            return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText())) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> it = b.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!a.has(e.getKey()) || !same(a.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** The body of a create: the row without its null fields, with the objectId. */
    static ObjectNode createBody(String objectId, ObjectNode row) {
        ObjectNode b = F.objectNode();
        b.put("objectId", objectId);
        row.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                b.set(e.getKey(), e.getValue());
            }
        });
        return b;
    }

    /** The body of an update: the row with its null fields turned into deletes. */
    static ObjectNode updateBody(ObjectNode row) {
        ObjectNode b = F.objectNode();
        row.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                b.putObject(e.getKey()).put("__op", "Delete");
            } else {
                b.set(e.getKey(), e.getValue());
            }
        });
        return b;
    }

    private static void putText(ObjectNode n, String field, String value) {
        if (value == null) {
            n.set(field, NullNode.instance);
        } else {
            n.put(field, value);
        }
    }

    private static String text(ObjectNode row, String field) {
        JsonNode v = row.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Address address(ObjectNode row, String field) {
        String t = text(row, field);
        return t == null ? null : Address.of(t);
    }
}
