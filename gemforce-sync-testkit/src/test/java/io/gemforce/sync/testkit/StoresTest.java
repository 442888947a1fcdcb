package io.gemforce.sync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.StoreContents;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoresTest {
    private static final String H1 = "0x" + "1".repeat(64);
    private static final String H2 = "0x" + "2".repeat(64);

    private static StoreContents withCheckpoints(Checkpoint... checkpoints) {
        return new StoreContents(List.of(), List.of(), List.of(checkpoints));
    }

    @Test
    void recentHashesAreDroppedAndWhereEachCheckpointStandsIsKept() {
        StoreContents c = withCheckpoints(
                new Checkpoint("network:localhost", 12, H2, List.of(new BlockId(11, H1), new BlockId(12, H2))),
                new Checkpoint("listener:app", 11, H1, List.of(new BlockId(11, H1))));

        assertThat(Stores.withoutRecentHashes(c).checkpoints()).containsExactly(
                new Checkpoint("network:localhost", 12, H2, List.of()),
                new Checkpoint("listener:app", 11, H1, List.of()));
    }

    @Test
    void deliveryCursorsAreDroppedAndOtherScopesKept() {
        StoreContents c = withCheckpoints(
                new Checkpoint("network:localhost", 12, H2, List.of(new BlockId(12, H2))),
                new Checkpoint("listener:app", 11, H1, List.of()),
                new Checkpoint("diamond:0xabc", 12, H2, List.of()));

        assertThat(Stores.withoutDeliveryCursors(c).checkpoints()).containsExactly(
                new Checkpoint("network:localhost", 12, H2, List.of()),
                new Checkpoint("diamond:0xabc", 12, H2, List.of()));
        // the same store compared with a plain sync's, which has no listener cursor
        assertThat(Stores.withoutDeliveryCursors(c)).isEqualTo(Stores.withoutRecentHashes(withCheckpoints(
                new Checkpoint("network:localhost", 12, H2, List.of()),
                new Checkpoint("diamond:0xabc", 12, H2, List.of()))));
    }
}
