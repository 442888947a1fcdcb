package io.gemforce.sync.examples.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.ChangeSet;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite file's settings: a new one gets the sink's page size and WAL; an existing one keeps its pages and works. */
class JdbcSqliteFileTest {
    @TempDir
    Path dir;

    private static String pragma(Path file, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static void storeACheckpoint(JdbcStateSink sink) {
        sink.apply(new ChangeSet("localhost", 31337, List.of(), List.of(),
                List.of(new Checkpoint("all", 7, "0x" + "ab".repeat(32), List.of()))));
        assertThat(sink.checkpoint(31337, "all")).map(Checkpoint::blockNumber).contains(7L);
    }

    @Test
    void aNewFileGetsTheSinksPageSizeInWalMode() throws SQLException {
        Path file = dir.resolve("new.sqlite");
        try (JdbcStateSink sink = JdbcStateSink.sqlite(file)) {
            storeACheckpoint(sink);
        }
        assertThat(pragma(file, "page_size")).isEqualTo(Integer.toString(JdbcStateSink.SQLITE_PAGE_SIZE));
        assertThat(pragma(file, "journal_mode")).isEqualTo("wal");
    }

    @Test
    void anExistingFileKeepsItsPagesAndWorks() throws SQLException {
        Path file = dir.resolve("old.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("PRAGMA page_size = 4096");
            st.execute("CREATE TABLE other (x INTEGER)"); // the file exists, with 4 KiB pages
        }
        try (JdbcStateSink sink = JdbcStateSink.sqlite(file)) {
            storeACheckpoint(sink);
        }
        assertThat(pragma(file, "page_size")).isEqualTo("4096");
    }
}
