package io.gemforce.sync.internal;

import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.internal.historical.Preparation;
import io.gemforce.sync.internal.reorg.RecentHeaders;
import io.gemforce.sync.internal.state.StateStep;
import java.util.List;
import java.util.Map;

/**
 * What the reader threads do for the pipeline with each range: read the headers its checks need
 * in its own round trip where they are known before the logs (near the head), the rest once its logs
 * are in, and decode the logs.
 */
final class RangePreparation implements Preparation {
    private final RecentHeaders recent;

    RangePreparation(RecentHeaders recent) {
        this.recent = recent;
    }

    @Override
    public List<Long> headers(long from, long end) {
        return recent.withRange(from, end);
    }

    @Override
    public void headersRead(Map<Long, BlockRef> headers) {
        recent.read(headers);
    }

    @Override
    public Object apply(long end, List<RawLog> logs) {
        StateStep.Decoded decoded = StateStep.decoded(logs);
        recent.readAhead(end, logs);
        return decoded;
    }
}
