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
import io.gemforce.sync.sink.ApplyResult;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.sink.StoredEvent;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A {@link StateSink} on a relational database through plain JDBC: SQLite (a local file, the
 * default) or PostgreSQL. It is the model for host applications that bring their own store: one
 * table per kind of data, one database transaction per {@link ChangeSet}, and idempotence from
 * primary keys ({@code INSERT ... ON CONFLICT DO NOTHING} for events, upserts for diamonds and
 * checkpoints).
 *
 * <p>Tables (created at start when missing): {@code gs_diamond_event} (key {@code uid}),
 * {@code gs_diamond} (key chain id + address), {@code gs_facet} (key chain id + diamond + facet,
 * with the facet's position), {@code gs_sync_state} (key chain id + scope). JSON columns hold the
 * event arguments, the pending upgrade, the selectors and the recent block hashes, each written in
 * one canonical key order (event arguments in ABI order), so that two syncs of the same chain give
 * byte-for-byte equal tables.
 *
 * <p>One connection, used under a lock; it is reopened after a failure. The password never
 * appears in exceptions.
 */
public final class JdbcStateSink implements StateSink, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String url;
    private final Properties props;
    private Connection connection;

    private JdbcStateSink(String url, Properties props) {
        this.url = url;
        this.props = props;
        synchronized (this) {
            run(c -> {
                createSchema(c);
                return null;
            });
        }
    }

    /** A SQLite database in {@code file} (created when missing). */
    public static JdbcStateSink sqlite(java.nio.file.Path file) {
        return open("jdbc:sqlite:" + file.toAbsolutePath(), null, null);
    }

    /**
     * A database at a JDBC URL ({@code jdbc:sqlite:...} or {@code jdbc:postgresql://...}).
     *
     * @param user may be null
     * @param password may be null; never logged or shown
     */
    public static JdbcStateSink open(String jdbcUrl, String user, String password) {
        if (jdbcUrl == null || !(jdbcUrl.startsWith("jdbc:sqlite:") || jdbcUrl.startsWith("jdbc:postgresql:"))) {
            throw new IllegalArgumentException("supported stores: jdbc:sqlite:<file> and jdbc:postgresql://...");
        }
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return new JdbcStateSink(jdbcUrl, p);
    }

    private boolean sqlite() {
        return url.startsWith("jdbc:sqlite:");
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction, reconnecting once when the connection is broken. */
    private synchronized <T> T run(Work<T> work) {
        for (int attempt = 0; ; attempt++) {
            try {
                if (connection == null || connection.isClosed()) {
                    connection = DriverManager.getConnection(url, props);
                    connection.setAutoCommit(false);
                    if (sqlite()) {
                        try (Statement st = connection.createStatement()) {
                            st.execute("PRAGMA busy_timeout = 5000");
                        }
                    }
                }
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    try {
                        connection.rollback();
                    } catch (SQLException ignored) {
                        // the connection is gone; the transaction is rolled back by the server
                    }
                    throw e;
                }
            } catch (SQLException e) {
                closeQuietly();
                if (attempt == 0 && isConnectionProblem(e)) {
                    continue;
                }
                throw new SinkException("database error (" + e.getSQLState() + "): " + safe(e.getMessage()), e);
            }
        }
    }

    private static boolean isConnectionProblem(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08");
    }

    private String safe(String message) {
        String pw = props.getProperty("password");
        return message == null ? "" : pw == null || pw.isEmpty() ? message : message.replace(pw, "***");
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // closing
        }
        connection = null;
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private void createSchema(Connection c) throws SQLException {
        String bool = "INTEGER";
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS gs_diamond_event (uid VARCHAR(200) PRIMARY KEY, chain_id BIGINT NOT NULL,"
                    + " network VARCHAR(100) NOT NULL, diamond_address VARCHAR(42) NOT NULL, emitter VARCHAR(42) NOT NULL,"
                    + " event_type VARCHAR(40) NOT NULL, block_number BIGINT NOT NULL, block_hash VARCHAR(66) NOT NULL,"
                    + " transaction_hash VARCHAR(66) NOT NULL, log_index BIGINT NOT NULL, args TEXT NOT NULL)");
            st.execute("CREATE INDEX IF NOT EXISTS gs_diamond_event_block ON gs_diamond_event (chain_id, block_number, log_index)");
            st.execute("CREATE INDEX IF NOT EXISTS gs_diamond_event_diamond ON gs_diamond_event (chain_id, diamond_address, block_number)");
            st.execute("CREATE TABLE IF NOT EXISTS gs_diamond (chain_id BIGINT NOT NULL, address VARCHAR(42) NOT NULL,"
                    + " network VARCHAR(100) NOT NULL, symbol TEXT, name TEXT, factory VARCHAR(42), owner VARCHAR(42),"
                    + " facet_count INTEGER NOT NULL, selector_count INTEGER NOT NULL, created_block BIGINT, created_tx VARCHAR(66),"
                    + " last_synced_block BIGINT NOT NULL, last_synced_block_hash VARCHAR(66), pending_upgrade TEXT,"
                    + " consistent " + bool + " NOT NULL, PRIMARY KEY (chain_id, address))");
            st.execute("CREATE TABLE IF NOT EXISTS gs_facet (chain_id BIGINT NOT NULL, diamond_address VARCHAR(42) NOT NULL,"
                    + " facet_address VARCHAR(42) NOT NULL, position INTEGER NOT NULL, selectors TEXT NOT NULL,"
                    + " PRIMARY KEY (chain_id, diamond_address, facet_address))");
            st.execute("CREATE TABLE IF NOT EXISTS gs_sync_state (chain_id BIGINT NOT NULL, scope VARCHAR(200) NOT NULL,"
                    + " network VARCHAR(100), block_number BIGINT NOT NULL, block_hash VARCHAR(66) NOT NULL, recent TEXT NOT NULL,"
                    + " PRIMARY KEY (chain_id, scope))");
        }
    }

    // ---- reads ----

    @Override
    public Optional<Checkpoint> checkpoint(long chainId, String scope) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT scope, block_number, block_hash, recent FROM gs_sync_state WHERE chain_id = ? AND scope = ?")) {
                ps.setLong(1, chainId);
                ps.setString(2, scope);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(checkpoint(rs)) : Optional.empty();
                }
            }
        });
    }

    private static Checkpoint checkpoint(ResultSet rs) throws SQLException {
        List<BlockId> recent = new ArrayList<>();
        for (Map<String, Object> m : readJson(rs.getString("recent"), new TypeReference<List<Map<String, Object>>>() { })) {
            recent.add(new BlockId(((Number) m.get("number")).longValue(), (String) m.get("hash")));
        }
        return new Checkpoint(rs.getString("scope"), rs.getLong("block_number"), rs.getString("block_hash"), recent);
    }

    @Override
    public List<DiamondRecord> diamonds(long chainId) {
        return run(c -> readDiamonds(c, chainId, null));
    }

    @Override
    public Optional<DiamondRecord> diamond(long chainId, Address address) {
        return run(c -> readDiamonds(c, chainId, address).stream().findFirst());
    }

    private List<DiamondRecord> readDiamonds(Connection c, long chainId, Address only) throws SQLException {
        Map<String, List<Facet>> facets = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT diamond_address, facet_address, selectors FROM gs_facet"
                + " WHERE chain_id = ?" + (only != null ? " AND diamond_address = ?" : "")
                + " ORDER BY diamond_address, position")) {
            ps.setLong(1, chainId);
            if (only != null) {
                ps.setString(2, only.hex());
            }
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
                + (only != null ? " AND address = ?" : "") + " ORDER BY address")) {
            ps.setLong(1, chainId);
            if (only != null) {
                ps.setString(2, only.hex());
            }
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

    private static Address address(String s) {
        return s == null ? null : new Address(s);
    }

    private static PendingUpgrade pending(String json) {
        return json == null ? null : PendingUpgrade.fromMap(readJson(json, new TypeReference<Map<String, Object>>() { }));
    }

    private static String json(PendingUpgrade p) {
        return p == null ? null : writeJson(p.toMap());
    }

    @Override
    public StoreContents contents(long chainId) {
        return run(c -> {
            List<StoredEvent> events = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM gs_diamond_event WHERE chain_id = ?"
                    + " ORDER BY block_number, log_index, uid")) {
                ps.setLong(1, chainId);
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
            List<Checkpoint> cps = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM gs_sync_state WHERE chain_id = ? ORDER BY scope")) {
                ps.setLong(1, chainId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        cps.add(checkpoint(rs));
                    }
                }
            }
            return new StoreContents(events, readDiamonds(c, chainId, null), cps);
        });
    }

    // ---- writes ----

    @Override
    public ApplyResult apply(ChangeSet changes) {
        return run(c -> {
            int inserted = 0;
            if (!changes.events().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO gs_diamond_event (uid, chain_id, network,"
                        + " diamond_address, emitter, event_type, block_number, block_hash, transaction_hash, log_index, args)"
                        + " VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (uid) DO NOTHING")) {
                    for (StoredEvent e : changes.events()) {
                        ps.setString(1, e.uid());
                        ps.setLong(2, e.chainId());
                        ps.setString(3, e.network());
                        ps.setString(4, e.diamondAddress().hex());
                        ps.setString(5, e.emitter().hex());
                        ps.setString(6, e.eventType().eventName());
                        ps.setLong(7, e.blockNumber());
                        ps.setString(8, e.blockHash());
                        ps.setString(9, e.transactionHash());
                        ps.setLong(10, e.logIndex());
                        ps.setString(11, writeJson(e.args()));
                        ps.addBatch();
                    }
                    for (int n : ps.executeBatch()) {
                        inserted += n > 0 ? 1 : 0;
                    }
                }
            }
            int changed = 0;
            for (DiamondRecord d : changes.diamonds()) {
                Optional<DiamondRecord> prev = readDiamonds(c, d.chainId(), d.address()).stream().findFirst();
                if (prev.isPresent() && prev.get().equals(d)) {
                    continue;
                }
                changed++;
                writeDiamond(c, d);
            }
            for (Checkpoint cp : changes.checkpoints()) {
                writeCheckpoint(c, changes.chainId(), changes.network(), cp);
            }
            return new ApplyResult(inserted, changed);
        });
    }

    private void writeDiamond(Connection c, DiamondRecord d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gs_diamond (chain_id, address, network, symbol, name,"
                + " factory, owner, facet_count, selector_count, created_block, created_tx, last_synced_block,"
                + " last_synced_block_hash, pending_upgrade, consistent) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (chain_id, address) DO UPDATE SET network = excluded.network, symbol = excluded.symbol,"
                + " name = excluded.name, factory = excluded.factory, owner = excluded.owner,"
                + " facet_count = excluded.facet_count, selector_count = excluded.selector_count,"
                + " created_block = excluded.created_block, created_tx = excluded.created_tx,"
                + " last_synced_block = excluded.last_synced_block, last_synced_block_hash = excluded.last_synced_block_hash,"
                + " pending_upgrade = excluded.pending_upgrade, consistent = excluded.consistent")) {
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
            ps.executeUpdate();
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM gs_facet WHERE chain_id = ? AND diamond_address = ?")) {
            del.setLong(1, d.chainId());
            del.setString(2, d.address().hex());
            del.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gs_facet (chain_id, diamond_address, facet_address,"
                + " position, selectors) VALUES (?,?,?,?,?)")) {
            int pos = 0;
            for (Facet f : d.facets()) {
                ps.setLong(1, d.chainId());
                ps.setString(2, d.address().hex());
                ps.setString(3, f.facetAddress().hex());
                ps.setInt(4, pos++);
                ps.setString(5, writeJson(f.selectors().stream().map(Selector::hex).toList()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void writeCheckpoint(Connection c, long chainId, String network, Checkpoint cp) throws SQLException {
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
            ps.setString(6, writeJson(recent));
            ps.executeUpdate();
        }
    }

    @Override
    public void rollback(long chainId, BlockId fork) {
        run(c -> {
            long n = fork.number();
            update(c, "DELETE FROM gs_diamond_event WHERE chain_id = ? AND block_number > ?", chainId, n);
            update(c, "DELETE FROM gs_facet WHERE chain_id = ? AND diamond_address IN (SELECT address FROM gs_diamond"
                    + " WHERE chain_id = ? AND created_block > ?)", chainId, chainId, n);
            update(c, "DELETE FROM gs_diamond WHERE chain_id = ? AND created_block > ?", chainId, n);
            update(c, "UPDATE gs_diamond SET last_synced_block = -1, last_synced_block_hash = NULL"
                    + " WHERE chain_id = ? AND last_synced_block > ?", chainId, n);
            List<Checkpoint> moved = new ArrayList<>();
            List<String> networks = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM gs_sync_state WHERE chain_id = ? AND block_number > ?")) {
                ps.setLong(1, chainId);
                ps.setLong(2, n);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        moved.add(checkpoint(rs).rolledBackTo(fork));
                        networks.add(rs.getString("network"));
                    }
                }
            }
            for (int i = 0; i < moved.size(); i++) {
                writeCheckpoint(c, chainId, networks.get(i), moved.get(i));
            }
            return null;
        });
    }

    @Override
    public void reset(long chainId) {
        run(c -> {
            for (String table : List.of("gs_diamond_event", "gs_facet", "gs_diamond", "gs_sync_state")) {
                update(c, "DELETE FROM " + table + " WHERE chain_id = ?", chainId);
            }
            return null;
        });
    }

    private static void update(Connection c, String sql, long... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setLong(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    private static String writeJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T readJson(String s, TypeReference<T> type) {
        try {
            return JSON.readValue(s, type);
        } catch (JsonProcessingException e) {
            throw new SinkException("corrupt JSON column: " + e.getOriginalMessage());
        }
    }

    @Override
    public String toString() {
        return "JdbcStateSink[" + (sqlite() ? url : url.replaceAll("password=[^&]*", "password=***")) + "]";
    }
}
