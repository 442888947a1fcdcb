package io.gemforce.sync.examples.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows of the JDBC sink's tables read back as the SDK's records, and the JSON of its JSON columns. */
final class JdbcRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JdbcRows() {
    }

    static Checkpoint checkpoint(ResultSet rs) throws SQLException {
        List<BlockId> recent = new ArrayList<>();
        for (Map<String, Object> m : readJson(rs.getString("recent"), new TypeReference<List<Map<String, Object>>>() { })) {
            recent.add(new BlockId(((Number) m.get("number")).longValue(), (String) m.get("hash")));
        }
        return new Checkpoint(rs.getString("scope"), rs.getLong("block_number"), rs.getString("block_hash"), recent);
    }

    /** Every stored diamond of a chain, by address. */
    static List<DiamondRecord> diamonds(Connection c, long chainId) throws SQLException {
        return diamondsWhere(c, "", ps -> ps.setLong(1, chainId));
    }

    /** Addresses per query when diamonds are read by address on SQLite, whose oldest limit is 999 parameters. */
    static final int ADDRESSES_PER_QUERY = 500;

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /**
     * The stored diamonds of a chain among {@code only}, by address: two queries for a commit's
     * diamonds, not two a diamond (on PostgreSQL {@code = ANY} of one array, on SQLite {@code IN} lists
     * of {@value #ADDRESSES_PER_QUERY}; PostgreSQL plans a 500-parameter {@code IN} list about as
     * slowly as it runs 500 single-row reads).
     */
    static List<DiamondRecord> diamonds(Connection c, long chainId, List<Address> only) throws SQLException {
        if (only.isEmpty()) {
            return List.of();
        }
        if (c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL")) {
            java.sql.Array hexes = c.createArrayOf("varchar", only.stream().map(Address::hex).toArray());
            return diamondsWhere(c, " = ANY (?)", ps -> {
                ps.setLong(1, chainId);
                ps.setArray(2, hexes);
            });
        }
        List<DiamondRecord> out = new ArrayList<>();
        for (int i = 0; i < only.size(); i += ADDRESSES_PER_QUERY) {
            List<Address> chunk = only.subList(i, Math.min(only.size(), i + ADDRESSES_PER_QUERY));
            out.addAll(diamondsWhere(c, " IN (" + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")",
                    ps -> {
                        ps.setLong(1, chainId);
                        for (int k = 0; k < chunk.size(); k++) {
                            ps.setString(k + 2, chunk.get(k).hex());
                        }
                    }));
        }
        return out;
    }

    /** The diamonds of the chain bound first, whose address matches {@code addressIs} (all when it is empty). */
    private static List<DiamondRecord> diamondsWhere(Connection c, String addressIs, Binder binder) throws SQLException {
        Map<String, List<Facet>> facets = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT diamond_address, facet_address, selectors FROM gs_facet"
                + " WHERE chain_id = ?" + (addressIs.isEmpty() ? "" : " AND diamond_address" + addressIs)
                + " ORDER BY diamond_address, position")) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Selector> sels = readJson(rs.getString("selectors"), new TypeReference<List<String>>() { })
                            .stream().map(Selector::of).toList();
                    facets.computeIfAbsent(rs.getString("diamond_address"), k -> new ArrayList<>())
                            .add(new Facet(new Address(rs.getString("facet_address")), sels));
                }
            }
        }
        List<DiamondRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM gs_diamond WHERE chain_id = ?"
                + (addressIs.isEmpty() ? "" : " AND address" + addressIs) + " ORDER BY address")) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String address = rs.getString("address");
                    long created = rs.getLong("created_block");
                    Long createdBlock = rs.wasNull() ? null : created;
                    out.add(new DiamondRecord(rs.getString("network"), rs.getLong("chain_id"), new Address(address),
                            rs.getString("symbol"), rs.getString("name"), address(rs.getString("factory")),
                            address(rs.getString("owner")), facets.getOrDefault(address, List.of()), createdBlock,
                            rs.getString("created_tx"), rs.getLong("last_synced_block"), rs.getString("last_synced_block_hash"),
                            pending(rs.getString("pending_upgrade")), rs.getInt("consistent") != 0));
                }
            }
        }
        return out;
    }

    static Address address(String s) {
        return s == null ? null : new Address(s);
    }

    private static PendingUpgrade pending(String json) {
        return json == null ? null : PendingUpgrade.fromMap(readJson(json, new TypeReference<Map<String, Object>>() { }));
    }

    /** The names in {@code gs_facet.functions} of one facet (empty when none). */
    static List<String> functions(Connection c, long chainId, Address diamond, Address facet) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT functions FROM gs_facet WHERE chain_id = ?"
                + " AND diamond_address = ? AND facet_address = ?")) {
            ps.setLong(1, chainId);
            ps.setString(2, diamond.hex());
            ps.setString(3, facet.hex());
            try (ResultSet rs = ps.executeQuery()) {
                String json = rs.next() ? rs.getString(1) : null;
                return json == null ? List.of() : readJson(json, new TypeReference<List<String>>() { });
            }
        }
    }

    /** The chain's events, or one diamond's, in canonical order. */
    static List<StoredEvent> events(Connection c, long chainId, Address only) throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM gs_diamond_event WHERE chain_id = ?"
                + (only != null ? " AND diamond_address = ?" : "") + " ORDER BY block_number, log_index, uid")) {
            ps.setLong(1, chainId);
            if (only != null) {
                ps.setString(2, only.hex());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(new StoredEvent(rs.getString("uid"), rs.getString("network"), rs.getLong("chain_id"),
                            new Address(rs.getString("diamond_address")), new Address(rs.getString("emitter")),
                            EventType.parse(rs.getString("event_type")), rs.getLong("block_number"),
                            rs.getString("block_hash"), rs.getString("transaction_hash"), rs.getLong("log_index"),
                            readJson(rs.getString("args"), new TypeReference<Map<String, Object>>() { })));
                }
            }
        }
        return events;
    }

    static String writeJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #writeJson} as UTF-8 bytes. */
    static byte[] writeJsonBytes(Object o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T readJson(String s, TypeReference<T> type) {
        try {
            return JSON.readValue(s, type);
        } catch (JsonProcessingException e) {
            throw new SinkException("corrupt JSON column: " + e.getOriginalMessage());
        }
    }

}
