package io.gemforce.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.testkit.GemforceScenario;
import org.junit.jupiter.api.Test;

/** Reads the pipeline makes beside its ranges (the head beside the chain id, headers read ahead): none wasted. */
class RoundTripsTest {
    private final GemforceScenario s = new GemforceScenario().build();
    private final InMemoryStateSink sink = new InMemoryStateSink();

    private DiamondSyncer syncer() {
        return DiamondSyncer.builder().chainSource(s.chain).sink(sink).networks(s.networks()).blockRange(4, 1, 4).build();
    }

    @Test
    void aRunWithNothingToSyncReadsNoHeaderBeyondTheReorgCheck() {
        syncer().syncAll("localhost");
        s.chain.resetCounters();
        SyncSummary idle = syncer().syncAll("localhost");
        assertThat(idle.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(idle.eventsIndexed()).isZero();
        assertThat(s.chain.calls("eth_chainId")).isEqualTo(1);
        assertThat(s.chain.calls("eth_blockNumber")).isEqualTo(1);
        // the reorg guard's check of the stored checkpoint's block, and nothing read ahead for a last
        // range that the run does not have (a follower's idle rounds make many such runs)
        assertThat(s.chain.calls("eth_getBlockByNumber")).isEqualTo(1);
        assertThat(s.chain.logQueries()).isEmpty();
    }
}
