package io.gemforce.sync.examples.jdbc;

import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.PendingUpgrade;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The JDBC sink's upserts of a change set's diamonds (with their facets and function names) and of a checkpoint. */
final class JdbcWrites {
    private final Function<Selector, Optional<String>> signatures;

    JdbcWrites(Function<Selector, Optional<String>> signatures) {
        this.signatures = signatures;
    }

    /**
     * Writes a change set's diamonds as the sink's contract says (each record replaces the stored one,
     * its facets included), in a few statements whatever their number: the stored records of all of
     * them read in {@link JdbcRows#ADDRESSES_PER_QUERY}-address queries, then one batch of upserts, one
     * of facet deletes and one of facet inserts for those that differ, and one batch renaming the
     * functions of those that do not. The records apply in order, as if one by one: a diamond given
     * twice ends as its last record. Returns how many records changed what was stored.
     */
    int diamonds(Connection c, List<DiamondRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return 0;
        }
        Map<String, DiamondRecord> current = new HashMap<>();
        Map<Long, List<Address>> byChain = new LinkedHashMap<>();
        for (DiamondRecord d : records) {
            byChain.computeIfAbsent(d.chainId(), k -> new ArrayList<>()).add(d.address());
        }
        for (Map.Entry<Long, List<Address>> e : byChain.entrySet()) {
            for (DiamondRecord stored : JdbcRows.diamonds(c, e.getKey(), List.copyOf(new LinkedHashSet<>(e.getValue())))) {
                current.put(key(stored), stored);
            }
        }
        Map<String, DiamondRecord> changed = new LinkedHashMap<>();
        Map<String, DiamondRecord> unchanged = new LinkedHashMap<>();
        int changes = 0;
        for (DiamondRecord d : records) {
            String k = key(d);
            if (d.equals(current.get(k))) {
                if (!changed.containsKey(k)) {
                    unchanged.put(k, d); // its facets' names still follow this sink's signatures
                }
                continue;
            }
            changes++;
            current.put(k, d);
            changed.put(k, d);
            unchanged.remove(k);
        }
        upsert(c, changed.values());
        renameFunctions(c, unchanged.values());
        return changes;
    }

    private static String key(DiamondRecord d) {
        return d.chainId() + ":" + d.address().hex();
    }

    private void upsert(Connection c, Collection<DiamondRecord> diamonds) throws SQLException {
        if (diamonds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gs_diamond (chain_id, address, network, symbol, name,"
                + " factory, owner, facet_count, selector_count, created_block, created_tx, last_synced_block,"
                + " last_synced_block_hash, pending_upgrade, consistent) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (chain_id, address) DO UPDATE SET network = excluded.network, symbol = excluded.symbol,"
                + " name = excluded.name, factory = excluded.factory, owner = excluded.owner,"
                + " facet_count = excluded.facet_count, selector_count = excluded.selector_count,"
                + " created_block = excluded.created_block, created_tx = excluded.created_tx,"
                + " last_synced_block = excluded.last_synced_block, last_synced_block_hash = excluded.last_synced_block_hash,"
                + " pending_upgrade = excluded.pending_upgrade, consistent = excluded.consistent")) {
            for (DiamondRecord d : diamonds) {
                ps.setLong(1, d.chainId());
                ps.setString(2, d.address().hex());
                ps.setString(3, d.network());
                ps.setString(4, d.symbol());
                ps.setString(5, d.name());
                ps.setString(6, d.factory() == null ? null : d.factory().hex());
                ps.setString(7, d.owner() == null ? null : d.owner().hex());
                ps.setInt(8, d.facetCount());
                ps.setInt(9, d.selectorCount());
                if (d.createdBlock() == null) {
                    ps.setNull(10, Types.BIGINT);
                } else {
                    ps.setLong(10, d.createdBlock());
                }
                ps.setString(11, d.createdTx());
                ps.setLong(12, d.lastSyncedBlock());
                ps.setString(13, d.lastSyncedBlockHash());
                ps.setString(14, json(d.pendingUpgrade()));
                ps.setInt(15, d.consistent() ? 1 : 0);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM gs_facet WHERE chain_id = ? AND diamond_address = ?")) {
            for (DiamondRecord d : diamonds) {
                del.setLong(1, d.chainId());
                del.setString(2, d.address().hex());
                del.addBatch();
            }
            del.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gs_facet (chain_id, diamond_address, facet_address,"
                + " position, selectors, functions) VALUES (?,?,?,?,?,?)")) {
            boolean any = false;
            for (DiamondRecord d : diamonds) {
                int pos = 0;
                for (Facet f : d.facets()) {
                    ps.setLong(1, d.chainId());
                    ps.setString(2, d.address().hex());
                    ps.setString(3, f.facetAddress().hex());
                    ps.setInt(4, pos++);
                    ps.setString(5, JdbcRows.writeJson(f.selectors().stream().map(Selector::hex).toList()));
                    ps.setString(6, functions(f));
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
    }

    /** The known signatures of a facet's selectors, as the JSON array kept in {@code gs_facet.functions}. */
    private String functions(Facet f) {
        List<String> names = new ArrayList<>();
        for (Selector s : f.selectors()) {
            signatures.apply(s).ifPresent(names::add);
        }
        return JdbcRows.writeJson(names);
    }

    /** Unchanged diamonds: their facets' names still follow the signatures this sink was opened with. */
    private void renameFunctions(Connection c, Collection<DiamondRecord> diamonds) throws SQLException {
        if (diamonds.stream().allMatch(d -> d.facets().isEmpty())) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE gs_facet SET functions = ? WHERE chain_id = ?"
                + " AND diamond_address = ? AND facet_address = ? AND (functions IS NULL OR functions <> ?)")) {
            for (DiamondRecord d : diamonds) {
                for (Facet f : d.facets()) {
                    String names = functions(f);
                    ps.setString(1, names);
                    ps.setLong(2, d.chainId());
                    ps.setString(3, d.address().hex());
                    ps.setString(4, f.facetAddress().hex());
                    ps.setString(5, names);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    static void checkpoint(Connection c, long chainId, String network, Checkpoint cp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gs_sync_state (chain_id, scope, network, block_number,"
                + " block_hash, recent) VALUES (?,?,?,?,?,?) ON CONFLICT (chain_id, scope) DO UPDATE SET"
                + " network = excluded.network, block_number = excluded.block_number, block_hash = excluded.block_hash,"
                + " recent = excluded.recent")) {
            ps.setLong(1, chainId);
            ps.setString(2, cp.scope());
            ps.setString(3, network);
            ps.setLong(4, cp.blockNumber());
            ps.setString(5, cp.blockHash());
            List<Map<String, Object>> recent = new ArrayList<>();
            for (BlockId id : cp.recent()) {
                Map<String, Object> m = new LinkedHashMap<>(); // Map.of's order changes from JVM to JVM
                m.put("number", id.number());
                m.put("hash", id.hash());
                recent.add(m);
            }
            ps.setString(6, JdbcRows.writeJson(recent));
            ps.executeUpdate();
        }
    }

    private static String json(PendingUpgrade p) {
        return p == null ? null : JdbcRows.writeJson(p.toMap());
    }
}
