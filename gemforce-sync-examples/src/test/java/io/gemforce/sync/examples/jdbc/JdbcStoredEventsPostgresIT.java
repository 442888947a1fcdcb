package io.gemforce.sync.examples.jdbc;

import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.testkit.StoredEventReaderConformance;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The stored-event reads on a real PostgreSQL. */
class JdbcStoredEventsPostgresIT extends StoredEventReaderConformance {
    private static EmbeddedPostgres postgres;
    private JdbcStateSink opened;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Override
    protected StateSink newStore() {
        opened = JdbcStateSink.open(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
        opened.reset(CHAIN);
        opened.reset(OTHER_CHAIN);
        return opened;
    }

    @AfterEach
    void close() {
        opened.close();
    }
}
