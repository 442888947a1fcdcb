package io.gemforce.sync.examples.jdbc;

import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.testkit.StoredEventReaderConformance;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class JdbcStoredEventsSqliteTest extends StoredEventReaderConformance {
    @TempDir
    Path dir;
    private JdbcStateSink opened;

    @Override
    protected StateSink newStore() {
        opened = JdbcStateSink.sqlite(dir.resolve("store.sqlite"));
        return opened;
    }

    @AfterEach
    void close() {
        opened.close();
    }
}
