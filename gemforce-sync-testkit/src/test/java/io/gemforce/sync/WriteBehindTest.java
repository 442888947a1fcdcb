package io.gemforce.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.sink.ApplyResult;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.testkit.FlakySink;
import io.gemforce.sync.testkit.ForwardingStateSink;
import io.gemforce.sync.testkit.GemforceScenario;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Commits written behind the pipeline: on a writer thread, one at a time, in block order, none after
 * a failed one; {@code prefetch(false)} writes on the caller's thread. The store's final contents are
 * covered by the crash-point tests ({@link DiamondSyncerTest}); these check the writes themselves.
 */
class WriteBehindTest {
    private final GemforceScenario s = new GemforceScenario().build();

    /** Records each apply's thread and checkpoint block, and whether two applies ever overlapped. */
    private static final class Watching extends ForwardingStateSink {
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        final List<Long> blocks = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger inside = new AtomicInteger();
        volatile boolean overlapped;

        Watching(StateSink inner) {
            super(inner);
        }

        @Override
        public ApplyResult apply(ChangeSet changes) {
            if (inside.incrementAndGet() > 1) {
                overlapped = true;
            }
            try {
                Thread.sleep(5); // long enough for the pipeline to hand over the next commit if it would
                threads.add(Thread.currentThread().getName());
                changes.checkpoints().forEach(c -> blocks.add(c.blockNumber()));
                return super.apply(changes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inside.decrementAndGet();
            }
        }
    }

    private DiamondSyncer syncer(StateSink sink, boolean prefetch) {
        return DiamondSyncer.builder().chainSource(s.chain).sink(sink).networks(s.networks()).blockRange(2, 1, 2)
                .prefetch(prefetch).build();
    }

    @Test
    void commitsAreWrittenOnAWriterThreadOneAtATimeInBlockOrder() {
        Watching sink = new Watching(new InMemoryStateSink());
        SyncSummary summary = syncer(sink, true).syncAll("localhost");

        assertThat(summary.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(sink.threads).isNotEmpty().allSatisfy(t -> assertThat(t).startsWith("gemforce-sync-writer-"));
        assertThat(sink.overlapped).isFalse();
        assertThat(sink.blocks).hasSizeGreaterThan(3).isSorted().doesNotHaveDuplicates();
        assertThat(sink.blocks.get(sink.blocks.size() - 1)).isEqualTo(summary.lastSyncedBlock());
    }

    @Test
    void withoutPrefetchTheCallersThreadWrites() {
        Watching sink = new Watching(new InMemoryStateSink());
        syncer(sink, false).syncAll("localhost");

        assertThat(sink.threads).isNotEmpty().containsOnly(Thread.currentThread().getName());
    }

    @Test
    void noWriteFollowsAFailedOneAndTheSummaryEndsAtTheLastStoredBlock() {
        InMemoryStateSink store = new InMemoryStateSink();
        FlakySink flaky = new FlakySink(store, 3, FlakySink.When.BEFORE_WRITE);
        SyncSummary summary = syncer(flaky, true).syncAll("localhost");

        assertThat(summary.status()).isEqualTo(SyncStatus.PARTIAL);
        assertThat(summary.errors()).extracting(SyncError::code).contains("SINK_FAILURE");
        assertThat(flaky.applies()).isEqualTo(3);
        long stored = store.checkpoint(31337, "all").orElseThrow().blockNumber();
        assertThat(summary.lastSyncedBlock()).isEqualTo(stored);
    }
}
