package io.gemforce.sync.examples.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link JdbcDiamondWritesTest} on a real PostgreSQL, where a commit's diamonds are read with one array parameter. */
class JdbcDiamondWritesPostgresIT extends JdbcDiamondWritesTest {
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Override
    protected JdbcStateSink open(String name) {
        JdbcStateSink sink = JdbcStateSink.open(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
        sink.reset(31337);
        return sink;
    }

    @Override
    protected Connection connection() throws Exception {
        Connection c = postgres.getPostgresDatabase().getConnection();
        JdbcSchema.create(c);
        try (Statement st = c.createStatement()) {
            st.execute("DELETE FROM gs_facet");
            st.execute("DELETE FROM gs_diamond");
        }
        return c;
    }

    @Override
    protected int readStatements(int n) {
        return 2; // facets and diamonds, each for every address at once (= ANY of an array)
    }
}
