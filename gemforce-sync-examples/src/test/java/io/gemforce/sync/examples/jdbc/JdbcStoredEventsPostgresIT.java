package io.gemforce.sync.examples.jdbc;

import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.testkit.StoredEventReaderConformance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stored-event reads on a real PostgreSQL. */
class JdbcStoredEventsPostgresIT extends StoredEventReaderConformance {
    @RegisterExtension
    static final EmbeddedPg PG = new EmbeddedPg();
    private JdbcStateSink opened;

    @Override
    protected StateSink newStore() {
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
