package io.gemforce.sync.internal;

import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.internal.historical.RangePlanner;
import io.gemforce.sync.internal.historical.SharedPlanner;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A chain source as the engine uses it: serialized when the source is not thread-safe (one lock per
 * source, across every run that shares it), with one range planner per source so the node's limits
 * are learned once. Created per source by {@link Registry}.
 */
public record ChainAccess(ChainSource chain, SharedPlanner planner) {

    /**
     * The accesses of one syncer's sources (the 64 most recently used, for hosts whose source factory
     * makes a new source per call). Thread-safe.
     */
    public static final class Registry {
        private static final int MAX = 64;
        private final Map<ChainSource, ChainAccess> bySource = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<ChainSource, ChainAccess> eldest) {
                return size() > MAX;
            }
        };

        public synchronized ChainAccess of(ChainSource source, RunSettings s) {
            return bySource.computeIfAbsent(source, src -> new ChainAccess(
                    src.threadSafe() ? Guarded.chain(src) : new SerializedChainSource(Guarded.chain(src), src),
                    new SharedPlanner(new RangePlanner(s.initialRange(), s.minRange(), s.maxRange(), s.growAfter(),
                            s.forgetAfter()))));
        }
    }
}
