package io.gemforce.sync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.event.DiamondEvent;
import io.gemforce.sync.event.LogPosition;
import org.junit.jupiter.api.Test;

/**
 * Golden values for the keys stores persist: an event's uid and the checkpoint scopes. A change to
 * any of them would make every existing store look empty (a full re-sync) or hold each event twice,
 * so it must be a deliberate, migrated change: this test then changes with it.
 */
class PersistedKeysTest {
    private static final Address D = Address.of("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
    private static final String TX = "0x8f3c2b1a00000000000000000000000000000000000000000000000000000001";

    @Test
    void anEventsUidIsChainIdTransactionHashAndLogIndex() {
        LogPosition p = new LogPosition(1234, "0x" + "b".repeat(64), TX, 17);
        assertThat(p.uid(84532)).isEqualTo("84532:" + TX + ":17");
        StoredEvent e = StoredEvent.of("base-sepolia", 84532, new DiamondEvent.DiamondCutCancelled(D, p, D));
        assertThat(e.uid()).isEqualTo("84532:0x8f3c2b1a00000000000000000000000000000000000000000000000000000001:17");
    }

    @Test
    void checkpointScopes() {
        assertThat(Checkpoint.allScope()).isEqualTo("all");
        assertThat(Checkpoint.diamondScope(D)).isEqualTo("diamond:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
        assertThat(Checkpoint.eventsScope(D, null)).isEqualTo("events:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed:*");
        assertThat(Checkpoint.eventsScope(D, "DiamondCut"))
                .isEqualTo("events:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed:DiamondCut");
    }
}
