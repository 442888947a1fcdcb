package io.gemforce.sync.examples.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.testkit.FlakySink;
import io.gemforce.sync.testkit.GemforceScenario;
import io.gemforce.sync.testkit.Stores;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's guarantees hold with the JDBC sink: same store as in memory, resumes, reorgs. */
class JdbcSinkSyncTest {
    @TempDir
    Path dir;
    private final GemforceScenario s = new GemforceScenario().build();

    private DiamondSyncer syncer(StateSink sink) {
        return DiamondSyncer.builder().chainSource(s.chain).sink(sink).networks(s.networks()).blockRange(4, 1, 4).build();
    }

    @Test
    void theStoreEqualsTheInMemoryOneAndResumesFromEveryCrashPoint() {
        InMemoryStateSink reference = new InMemoryStateSink();
        syncer(reference).syncAll("localhost");
        StoreContents expected = reference.contents(31337);

        try (JdbcStateSink db = JdbcStateSink.sqlite(dir.resolve("full.sqlite"))) {
            assertThat(syncer(db).syncAll("localhost").toJson()).isEqualTo(syncer(new InMemoryStateSink()).syncAll("localhost").toJson());
            assertThat(db.contents(31337)).isEqualTo(expected);
            assertThat(syncer(db).syncAll("localhost").eventsIndexed()).isZero();
            assertThat(db.contents(31337)).isEqualTo(expected);
        }
        for (int failAt = 1; failAt <= 6; failAt++) {
            try (JdbcStateSink db = JdbcStateSink.sqlite(dir.resolve("crash" + failAt + ".sqlite"))) {
                syncer(new FlakySink(db, failAt, FlakySink.When.AFTER_WRITE)).syncAll("localhost");
                assertThat(syncer(db).syncAll("localhost").status()).isEqualTo(SyncStatus.SUCCESS);
                assertThat(Stores.withoutRecentHashes(db.contents(31337))).as("crash at %d", failAt).isEqualTo(Stores.withoutRecentHashes(expected));
            }
        }
    }

    @Test
    void aReorgRollsTheDatabaseBack() {
        try (JdbcStateSink db = JdbcStateSink.sqlite(dir.resolve("reorg.sqlite"))) {
            syncer(db).syncAll("localhost");
            s.chain.rewindTo(9, "fork");
            s.chain.transferOwnership(s.d1, s.newOwner);
            s.chain.mine(15);
            assertThat(syncer(db).syncAll("localhost").status()).isEqualTo(SyncStatus.SUCCESS);
            InMemoryStateSink fresh = new InMemoryStateSink();
            syncer(fresh).syncAll("localhost");
            assertThat(Stores.withoutRecentHashes(db.contents(31337))).isEqualTo(Stores.withoutRecentHashes(fresh.contents(31337)));
        }
    }
}
