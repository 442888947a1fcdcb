package io.gemforce.sync.examples.jdbc;

import io.gemforce.sync.SinkException;
import io.gemforce.sync.abi.KnownSignatures;
import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.sink.ApplyResult;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.LeaseStore;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.sink.StoreContentsReader;
import io.gemforce.sync.sink.StoredEventReader;
import io.gemforce.sync.sink.StoredEvent;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * A {@link StateSink} on a relational database through plain JDBC: SQLite (a local file, the
 * default) or PostgreSQL. It is the model for host applications that bring their own store: one
 * table per kind of data, one database transaction per {@link ChangeSet}, and idempotence from
 * primary keys ({@code INSERT ... ON CONFLICT DO NOTHING} for events, upserts for diamonds and
 * checkpoints).
 *
 * <p>Tables (created at start when missing): {@code gs_diamond_event} (key {@code uid}),
 * {@code gs_diamond} (key chain id + address), {@code gs_facet} (key chain id + diamond + facet,
 * with the facet's position and the known signatures of its selectors), {@code gs_sync_state} (key
 * chain id + scope). JSON columns hold the event arguments, the pending upgrade, the selectors, the
 * function signatures and the recent block hashes, each in one canonical key order (event arguments
 * in ABI order), so two syncs of the same chain give byte-for-byte equal tables. It answers a diamond's stored events
 * ({@link StoredEventReader}) for the history API, the blocks of its events ({@link #eventBlocks}) for a follower
 * that meets a deep reorg, and its whole contents ({@link StoreContentsReader}) for tests and tools.
 *
 * <p>A change set's events go in few statements ({@code JdbcEvents}: multi-row {@code VALUES} on
 * SQLite; on PostgreSQL a binary {@code COPY} of new events, else {@code unnest} arrays). A new
 * SQLite file gets 16 KiB pages; any SQLite file is put in WAL mode with {@code synchronous=NORMAL}
 * (readers such as the CLI's {@code history} do not block the writer, and a commit costs no fsync of
 * the database file; a crash of the machine may lose the last commits, never a commit's half, and
 * the sync reads them again). WAL needs a local file system, not a network share.
 *
 * <p>One connection, used under a lock; it is reopened after a failure. The password never
 * appears in exceptions.
 */
public final class JdbcStateSink implements StateSink, StoredEventReader, StoreContentsReader, LeaseStore,
        AutoCloseable {
    /** Bytes per page of a new SQLite file. */
    static final int SQLITE_PAGE_SIZE = 16_384;

    private final String url;
    private final Properties props;
    private final JdbcWrites writes;
    private final PostgresCopy copy = new PostgresCopy();
    private Connection connection;

    private JdbcStateSink(String url, Properties props, Function<Selector, Optional<String>> signatures) {
        this.url = url;
        this.props = props;
        this.writes = new JdbcWrites(signatures);
        synchronized (this) {
            run(c -> {
                JdbcSchema.create(c);
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
        return open(jdbcUrl, user, password, KnownSignatures.standard());
    }

    /**
     * As {@link #open(String, String, String)}, naming each facet's selectors in {@code gs_facet.functions}
     * with {@code signatures} (e.g. a {@link KnownSignatures} built from the facets' ABIs). Names are
     * written with a diamond's facets, so a store synced before gets the new names when its diamonds
     * are next synced.
     */
    public static JdbcStateSink open(String jdbcUrl, String user, String password,
            Function<Selector, Optional<String>> signatures) {
        Objects.requireNonNull(signatures, "signatures");
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
        return new JdbcStateSink(jdbcUrl, p, signatures);
    }

    /**
     * One statement, atomic in SQLite and PostgreSQL alike: insert the lease, or take it over when it
     * is this holder's or has expired ({@code ON CONFLICT ... DO UPDATE ... WHERE}).
     */
    @Override
    public boolean acquire(String name, String holder, Duration ttl) {
        long now = System.currentTimeMillis();
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO gs_lease (name, holder, expires_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at"
                    + " WHERE gs_lease.holder = excluded.holder OR gs_lease.expires_at < ?")) {
                ps.setString(1, name);
                ps.setString(2, holder);
                ps.setLong(3, now + ttl.toMillis());
                ps.setLong(4, now);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void release(String name, String holder) {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM gs_lease WHERE name = ? AND holder = ?")) {
                ps.setString(1, name);
                ps.setString(2, holder);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<String> holder(String name) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT holder FROM gs_lease WHERE name = ? AND expires_at >= ?")) {
                ps.setString(1, name);
                ps.setLong(2, System.currentTimeMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public Map<String, String> live(String prefix) {
        return run(c -> {
            Map<String, String> out = new java.util.TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, holder FROM gs_lease WHERE expires_at >= ?")) {
                ps.setLong(1, System.currentTimeMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getString(1).startsWith(prefix)) {
                            out.put(rs.getString(1), rs.getString(2));
                        }
                    }
                }
            }
            return out;
        });
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
                    if (sqlite()) {
                        try (Statement st = connection.createStatement()) {
                            st.execute("PRAGMA busy_timeout = 5000");
                            // a new file only (an existing one keeps its pages): the event rows and their
                            // three indexes cost about a sixth less CPU to write than with 4 KiB pages
                            st.execute("PRAGMA page_size = " + SQLITE_PAGE_SIZE);
                            st.execute("PRAGMA journal_mode = WAL");
                            st.execute("PRAGMA synchronous = NORMAL");
                            st.execute("PRAGMA cache_size = -32768");
                        }
                    }
                    connection.setAutoCommit(false);
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

    // ---- reads ----

    @Override
    public Optional<Checkpoint> checkpoint(long chainId, String scope) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT scope, block_number, block_hash, recent FROM gs_sync_state WHERE chain_id = ? AND scope = ?")) {
                ps.setLong(1, chainId);
                ps.setString(2, scope);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(JdbcRows.checkpoint(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<DiamondRecord> diamonds(long chainId) {
        return run(c -> JdbcRows.diamonds(c, chainId));
    }

    @Override
    public Optional<DiamondRecord> diamond(long chainId, Address address) {
        return run(c -> JdbcRows.diamonds(c, chainId, List.of(address)).stream().findFirst());
    }

    @Override
    public StoreContents contents(long chainId) {
        return run(c -> {
            List<StoredEvent> events = JdbcRows.events(c, chainId, null);
            List<Checkpoint> cps = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM gs_sync_state WHERE chain_id = ? ORDER BY scope")) {
                ps.setLong(1, chainId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        cps.add(JdbcRows.checkpoint(rs));
                    }
                }
            }
            return new StoreContents(events, JdbcRows.diamonds(c, chainId), cps);
        });
    }

    @Override
    public List<BlockId> eventBlocks(long chainId, long atOrBelow, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return run(c -> {
            List<BlockId> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT block_number, block_hash FROM gs_diamond_event"
                    + " WHERE chain_id = ? AND block_number <= ? ORDER BY block_number DESC, block_hash LIMIT ?")) {
                ps.setLong(1, chainId);
                ps.setLong(2, atOrBelow);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new BlockId(rs.getLong(1), rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<StoredEvent> storedEvents(long chainId, Address diamond) {
        Objects.requireNonNull(diamond, "diamond");
        return run(c -> JdbcRows.events(c, chainId, diamond));
    }

    // ---- writes ----

    @Override
    public ApplyResult apply(ChangeSet changes) {
        return run(c -> {
            int inserted = 0;
            if (!changes.events().isEmpty()) {
                inserted = JdbcEvents.insert(c, sqlite() ? null : copy, changes.events());
            }
            int changed = writes.diamonds(c, changes.diamonds());
            for (Checkpoint cp : changes.checkpoints()) {
                JdbcWrites.checkpoint(c, changes.chainId(), changes.network(), cp);
            }
            return new ApplyResult(inserted, changed);
        });
    }

    /** The names stored in {@code gs_facet.functions} for one facet, in selector order (empty when none). */
    public List<String> storedFunctions(long chainId, Address diamond, Address facet) {
        return run(c -> JdbcRows.functions(c, chainId, diamond, facet));
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
                        moved.add(JdbcRows.checkpoint(rs).rolledBackTo(fork));
                        networks.add(rs.getString("network"));
                    }
                }
            }
            for (int i = 0; i < moved.size(); i++) {
                JdbcWrites.checkpoint(c, chainId, networks.get(i), moved.get(i));
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

    @Override
    public String toString() {
        return "JdbcStateSink[" + (sqlite() ? url : url.replaceAll("password=[^&]*", "password=***")) + "]";
    }
}
