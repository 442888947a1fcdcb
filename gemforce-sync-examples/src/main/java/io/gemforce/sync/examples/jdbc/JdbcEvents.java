package io.gemforce.sync.examples.jdbc;

import io.gemforce.sync.sink.StoredEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalInt;

/**
 * The JDBC sink's event inserts, a change set's events in few statements: on PostgreSQL a binary
 * {@code COPY} per chunk of new events ({@link PostgresCopy}), else one
 * {@code INSERT ... SELECT FROM unnest(arrays)} per chunk (one round trip), on SQLite multi-row
 * {@code VALUES} lists (one statement step per chunk instead of one per row). {@code ON CONFLICT (uid)
 * DO NOTHING}, or the copy's check and savepoint, keeps a replay idempotent, and the count returned is
 * the number of rows that were new.
 */
final class JdbcEvents {
    private static final String COLUMNS = "uid, chain_id, network, diamond_address, emitter, event_type, block_number,"
            + " block_hash, transaction_hash, log_index, args";
    private static final int FIELDS = 11;
    /** Rows per SQLite statement: 11 parameters each, well under SQLite's 32,766 host parameters. */
    static final int SQLITE_ROWS = 900;
    /** Rows per PostgreSQL statement: bounds one statement's arrays. */
    static final int POSTGRES_ROWS = 10_000;

    private JdbcEvents() {
    }

    /**
     * Inserts the events that are not stored yet ({@code postgres}: the store's copy path, null on
     * SQLite); returns how many were new.
     */
    static int insert(Connection c, PostgresCopy postgres, List<StoredEvent> events) throws SQLException {
        int inserted = 0;
        if (postgres != null) {
            for (int i = 0; i < events.size(); i += POSTGRES_ROWS) {
                List<StoredEvent> part = events.subList(i, Math.min(events.size(), i + POSTGRES_ROWS));
                OptionalInt copied = postgres.copyNew(c, part);
                inserted += copied.isPresent() ? copied.getAsInt() : unnest(c, part);
            }
            return inserted;
        }
        int full = events.size() / SQLITE_ROWS * SQLITE_ROWS;
        if (full > 0) {
            try (PreparedStatement ps = c.prepareStatement(valuesSql(SQLITE_ROWS))) { // compiled once, used per chunk
                for (int i = 0; i < full; i += SQLITE_ROWS) {
                    inserted += values(ps, events.subList(i, i + SQLITE_ROWS));
                }
            }
        }
        if (full < events.size()) {
            try (PreparedStatement ps = c.prepareStatement(valuesSql(events.size() - full))) {
                inserted += values(ps, events.subList(full, events.size()));
            }
        }
        return inserted;
    }

    private static String valuesSql(int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO gs_diamond_event (" + COLUMNS + ") VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?)");
        }
        return sql.append(" ON CONFLICT (uid) DO NOTHING").toString();
    }

    private static int values(PreparedStatement ps, List<StoredEvent> part) throws SQLException {
        {
            int p = 1;
            for (StoredEvent e : part) {
                ps.setString(p++, e.uid());
                ps.setLong(p++, e.chainId());
                ps.setString(p++, e.network());
                ps.setString(p++, e.diamondAddress().hex());
                ps.setString(p++, e.emitter().hex());
                ps.setString(p++, e.eventType().eventName());
                ps.setLong(p++, e.blockNumber());
                ps.setString(p++, e.blockHash());
                ps.setString(p++, e.transactionHash());
                ps.setLong(p++, e.logIndex());
                ps.setString(p++, JdbcRows.writeJson(e.args()));
            }
            return ps.executeUpdate();
        }
    }

    private static int unnest(Connection c, List<StoredEvent> part) throws SQLException {
        int n = part.size();
        String[] uid = new String[n];
        Long[] chainId = new Long[n];
        String[] network = new String[n];
        String[] diamond = new String[n];
        String[] emitter = new String[n];
        String[] type = new String[n];
        Long[] block = new Long[n];
        String[] blockHash = new String[n];
        String[] tx = new String[n];
        Long[] logIndex = new Long[n];
        String[] args = new String[n];
        for (int i = 0; i < n; i++) {
            StoredEvent e = part.get(i);
            uid[i] = e.uid();
            chainId[i] = e.chainId();
            network[i] = e.network();
            diamond[i] = e.diamondAddress().hex();
            emitter[i] = e.emitter().hex();
            type[i] = e.eventType().eventName();
            block[i] = e.blockNumber();
            blockHash[i] = e.blockHash();
            tx[i] = e.transactionHash();
            logIndex[i] = e.logIndex();
            args[i] = JdbcRows.writeJson(e.args());
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gs_diamond_event (" + COLUMNS + ") SELECT * FROM unnest("
                + "?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[],"
                + " ?::varchar[], ?::varchar[], ?::bigint[], ?::text[]) ON CONFLICT (uid) DO NOTHING")) {
            Object[][] columns = {uid, chainId, network, diamond, emitter, type, block, blockHash, tx, logIndex, args};
            for (int i = 0; i < FIELDS; i++) {
                String sqlType = columns[i] instanceof Long[] ? "bigint" : "varchar";
                Array a = c.createArrayOf(sqlType, columns[i]);
                ps.setArray(i + 1, a);
            }
            return ps.executeUpdate();
        }
    }
}
