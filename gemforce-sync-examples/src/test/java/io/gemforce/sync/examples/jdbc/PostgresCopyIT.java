package io.gemforce.sync.examples.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.event.EventType;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.sink.StoredEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The binary COPY path on a real PostgreSQL: taken for new events, declined without writing when a chunk
 * may meet stored ones, and rolled back to its savepoint when it does, leaving the transaction usable.
 */
class PostgresCopyIT {
    private static final Address DIAMOND = Address.of("0x00000000000000000000000000000000000000d1");
    @RegisterExtension
    static final EmbeddedPg PG = new EmbeddedPg();
    private Connection c;
    private final PostgresCopy copy = new PostgresCopy();

    @BeforeEach
    void open() throws SQLException {
        c = PG.server().getPostgresDatabase().getConnection();
        JdbcSchema.create(c);
        try (Statement st = c.createStatement()) {
            st.execute("DELETE FROM gs_diamond_event");
            st.execute("DROP POLICY IF EXISTS every_row ON gs_diamond_event");
            st.execute("ALTER TABLE gs_diamond_event DISABLE ROW LEVEL SECURITY");
        }
        c.setAutoCommit(false);
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    private static StoredEvent event(int i) {
        String tx = "0x" + String.format("%064x", 1000 + i / 3);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("name", "caf\u00e9 \t\\ \"quoted\"\n" + i); // non-ASCII and characters COPY's text format would escape
        args.put("list", List.of("0x7a0ed627", String.valueOf(i)));
        return new StoredEvent("31337:" + tx + ":" + i % 3, "localhost", 31337, DIAMOND, DIAMOND, EventType.DIAMOND_CUT,
                100 + i / 3, "0x" + String.format("%064x", i / 3), tx, i % 3, args);
    }

    private static List<StoredEvent> events(int from, int to) {
        List<StoredEvent> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(event(i));
        }
        return out;
    }

    private List<StoredEvent> stored() throws SQLException {
        c.commit();
        return JdbcRows.events(c, 31337, DIAMOND);
    }

    @Test
    void newEventsAreCopiedAndReadBackEqual() throws SQLException {
        List<StoredEvent> events = events(0, 300);
        assertThat(copy.copyNew(c, events)).isEqualTo(OptionalInt.of(300));
        assertThat(stored()).containsExactlyElementsOf(events);
        assertThat(copy.refused()).isNull();
    }

    @Test
    void aChunkWhoseFirstOrLastEventIsStoredIsLeftToTheCallerWithNothingWritten() throws SQLException {
        List<StoredEvent> events = events(0, 300);
        assertThat(copy.copyNew(c, events.subList(0, 1))).hasValue(1);
        assertThat(copy.copyNew(c, events.subList(299, 300))).hasValue(1);
        assertThat(copy.copyNew(c, events)).isEmpty();
        assertThat(copy.copyNew(c, events.subList(0, 299))).isEmpty();
        assertThat(copy.copyNew(c, events.subList(1, 300))).isEmpty();
        assertThat(stored()).containsExactly(events.get(0), events.get(299));
    }

    @Test
    void aStoreThatRefusesTheCopyGetsInsertsFromThenOnWithNothingLost() throws SQLException {
        try (Statement st = c.createStatement()) { // COPY FROM is not supported under row-level security
            st.execute("ALTER TABLE gs_diamond_event ENABLE ROW LEVEL SECURITY");
            st.execute("CREATE POLICY every_row ON gs_diamond_event USING (true) WITH CHECK (true)");
            st.execute("DO $$ BEGIN CREATE ROLE gs_writer LOGIN PASSWORD 'w';"
                    + " EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            st.execute("GRANT SELECT, INSERT ON gs_diamond_event TO gs_writer"); // not the owner, not a superuser
        }
        c.commit();
        c.close();
        c = java.sql.DriverManager.getConnection(PG.server().getJdbcUrl("gs_writer", "postgres"), "gs_writer", "w");
        c.setAutoCommit(false);
        List<StoredEvent> events = events(0, 300);
        assertThat(copy.copyNew(c, events)).isEmpty();
        assertThat(copy.refused()).isEqualTo("0A000");
        assertThat(JdbcEvents.insert(c, copy, events)).isEqualTo(300); // the same transaction, the ON CONFLICT path
        assertThat(stored()).containsExactlyElementsOf(events);
        assertThat(JdbcEvents.insert(c, copy, events(300, 310))).isEqualTo(10);
        assertThat(stored()).hasSize(310);
    }

    @Test
    void aStoredEventInTheMiddleRollsTheCopyBackAndTheTransactionGoesOn() throws SQLException {
        List<StoredEvent> events = events(0, 300);
        assertThat(copy.copyNew(c, events.subList(150, 151))).hasValue(1);
        assertThat(copy.copyNew(c, events)).isEmpty();
        assertThat(JdbcEvents.insert(c, copy, events)).isEqualTo(299); // the same transaction, the ON CONFLICT path
        assertThat(stored()).containsExactlyElementsOf(events);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM gs_diamond_event")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(300);
        }
    }
}
