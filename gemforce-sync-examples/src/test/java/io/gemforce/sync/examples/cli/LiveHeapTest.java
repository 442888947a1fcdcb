package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's live heap counts what a store keeps, and not what it dropped. */
class LiveHeapTest {
    private static final int MIB = 1024 * 1024;

    private static long liveAfter(boolean keep) {
        System.gc();
        LiveHeap heap = new LiveHeap();
        List<byte[]> kept = new ArrayList<>();
        long sum = 0;
        for (int i = 0; i < 64; i++) { // 64 MiB allocated, in pieces a young collection promotes or drops
            byte[] b = new byte[MIB];
            b[i] = 1;
            sum += b[i];
            if (keep) {
                kept.add(b);
            }
        }
        assertThat(sum).isEqualTo(64);
        return heap.stop(kept)[1];
    }

    @Test
    void whatTheStoreKeepsIsLiveAndWhatItDroppedIsNot() {
        long baseline = liveAfter(false);
        long kept = liveAfter(true);
        assertThat(kept - baseline).as("kept %d, baseline %d", kept, baseline).isGreaterThanOrEqualTo(60L * MIB);
        assertThat(liveAfter(false)).isLessThan(baseline + 16L * MIB);
    }
}
