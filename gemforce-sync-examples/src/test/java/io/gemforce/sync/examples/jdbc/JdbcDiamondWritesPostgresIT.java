package io.gemforce.sync.examples.jdbc;

import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link JdbcDiamondWritesTest} on a real PostgreSQL, where a commit's diamonds are read with one array parameter. */
class JdbcDiamondWritesPostgresIT extends JdbcDiamondWritesTest {
    @RegisterExtension
    static final EmbeddedPg PG = new EmbeddedPg();

    @Override
    protected JdbcStateSink open(String name) {
        JdbcStateSink sink = PG.openSink();
        sink.reset(31337);
        return sink;
    }

    @Override
    protected Connection connection() throws Exception {
        Connection c = PG.server().getPostgresDatabase().getConnection();
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
