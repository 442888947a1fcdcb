package io.gemforce.sync.examples.jdbc;

import io.gemforce.sync.sink.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import java.util.OptionalInt;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's fastest path for events that are not stored yet: one binary {@code COPY} of a chunk
 * straight into {@code gs_diamond_event} (no text parsing on the server, no {@code ON CONFLICT} probe
 * per row). {@code COPY} has no {@code ON CONFLICT}, so it is only tried where it cannot double
 * anything: when neither the chunk's first nor its last event is stored (a replay of a stored range,
 * the common way to meet stored events, answers there), and inside a savepoint, so that a chunk that
 * still meets a stored event (two scopes that overlap, another writer) fails with a unique violation,
 * is rolled back to the savepoint, and is left to the caller's {@code ON CONFLICT DO NOTHING} path. The
 * store ends the same either way. A store that refuses the {@code COPY} itself (a table under
 * row-level security, say) gets the same rollback, and this sink does not try it again; any other
 * failure is thrown as an insert's would be. One per sink.
 */
final class PostgresCopy {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCopy.class);
    private static final String SQL = "COPY gs_diamond_event (uid, chain_id, network, diamond_address, emitter,"
            + " event_type, block_number, block_hash, transaction_hash, log_index, args) FROM STDIN (FORMAT binary)";
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
        0, 0, 0, 0, // flags
        0, 0, 0, 0}; // header extension length
    private static final short FIELDS = 11;
    private static final String UNIQUE_VIOLATION = "23505";

    /** Why this store does not take the copy, once it refused it; null until then. */
    private volatile String refused;

    /**
     * Copies {@code part} when none of it can be stored already; returns the rows copied, or empty when
     * the caller must insert them with {@code ON CONFLICT DO NOTHING} (some may be stored, or the
     * connection is not PostgreSQL's own driver). Nothing of {@code part} is written when it returns empty.
     */
    OptionalInt copyNew(Connection c, List<StoredEvent> part) throws SQLException {
        if (refused != null || part.isEmpty() || !c.isWrapperFor(PGConnection.class) || anyStored(c, part)) {
            return OptionalInt.empty();
        }
        Savepoint before = c.setSavepoint();
        CopyIn copy = null;
        try {
            copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(SQL);
            Rows rows = new Rows(copy);
            rows.bytes(HEADER);
            for (StoredEvent e : part) {
                rows.row(e);
            }
            rows.shortValue((short) -1); // the trailer
            rows.flush();
            long copied = copy.endCopy();
            c.releaseSavepoint(before);
            return OptionalInt.of(Math.toIntExact(copied));
        } catch (SQLException e) {
            if (copy != null && copy.isActive()) {
                try {
                    copy.cancelCopy(); // the connection leaves the copy protocol either way
                } catch (SQLException ignored) {
                    // the failure that matters is e
                }
            }
            String state = e.getSQLState();
            if (!UNIQUE_VIOLATION.equals(state) && !refusal(state)) {
                throw e; // a failed connection, a deadlock, a full disk...: as for any statement of the change set
            }
            c.rollback(before);
            if (!UNIQUE_VIOLATION.equals(state)) {
                refused = state;
                LOG.info("the store refuses COPY into gs_diamond_event (SQLSTATE {}: {}); new events go in with"
                        + " INSERT ... ON CONFLICT from now on", state, e.getMessage());
            }
            return OptionalInt.empty();
        }
    }

    /**
     * Whether {@code state} says this store will not take the copy whatever the data: a feature it does
     * not support (class 0A: {@code COPY FROM} under row-level security), an access rule or a type
     * (class 42: no privilege, another column type), a binary form it cannot read (22P03).
     */
    private static boolean refusal(String state) {
        return state != null && (state.startsWith("0A") || state.startsWith("42") || state.equals("22P03"));
    }

    /** The SQLSTATE with which the store refused the copy, or null while it takes it. */
    String refused() {
        return refused;
    }

    private static boolean anyStored(Connection c, List<StoredEvent> part) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM gs_diamond_event WHERE uid IN (?, ?)")) {
            ps.setString(1, part.get(0).uid());
            ps.setString(2, part.get(part.size() - 1).uid());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Binary COPY rows, written to the server in 64 KiB pieces. */
    private static final class Rows {
        private final CopyIn copy;
        private final byte[] buf = new byte[64 * 1024];
        private int len;

        Rows(CopyIn copy) {
            this.copy = copy;
        }

        void row(StoredEvent e) throws SQLException {
            shortValue(FIELDS);
            text(e.uid());
            bigint(e.chainId());
            text(e.network());
            text(e.diamondAddress().hex());
            text(e.emitter().hex());
            text(e.eventType().eventName());
            bigint(e.blockNumber());
            text(e.blockHash());
            text(e.transactionHash());
            bigint(e.logIndex());
            field(JdbcRows.writeJsonBytes(e.args()));
        }

        private void text(String s) throws SQLException {
            field(s.getBytes(StandardCharsets.UTF_8));
        }

        private void field(byte[] b) throws SQLException {
            intValue(b.length);
            bytes(b);
        }

        private void bigint(long v) throws SQLException {
            intValue(8);
            intValue((int) (v >>> 32));
            intValue((int) v);
        }

        void shortValue(short v) throws SQLException {
            room(2);
            buf[len++] = (byte) (v >>> 8);
            buf[len++] = (byte) v;
        }

        private void intValue(int v) throws SQLException {
            room(4);
            buf[len++] = (byte) (v >>> 24);
            buf[len++] = (byte) (v >>> 16);
            buf[len++] = (byte) (v >>> 8);
            buf[len++] = (byte) v;
        }

        void bytes(byte[] b) throws SQLException {
            if (b.length > buf.length) {
                flush();
                copy.writeToCopy(b, 0, b.length);
                return;
            }
            room(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        private void room(int n) throws SQLException {
            if (len + n > buf.length) {
                flush();
            }
        }

        void flush() throws SQLException {
            if (len > 0) {
                copy.writeToCopy(buf, 0, len);
                len = 0;
            }
        }
    }
}
