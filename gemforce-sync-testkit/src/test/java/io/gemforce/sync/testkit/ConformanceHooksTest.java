package io.gemforce.sync.testkit;

import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.sink.ApplyResult;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.sink.StoreContents;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;

/**
 * The suite's hooks for sinks that are not {@link io.gemforce.sync.sink.StoreContentsReader}s, and
 * {@link ForwardingStateSink} keeping the contract of what it wraps.
 */
class ConformanceHooksTest {

    /** A wrapper lists no contents itself: the test reads them from the wrapped store. */
    @Nested
    class AForwardingSinkReadThroughItsStore extends StateSinkConformance {
        private InMemoryStateSink store;

        @Override
        protected StateSink newSink() {
            store = new InMemoryStateSink();
            return new ForwardingStateSink(store) {
            };
        }

        @Override
        protected StoreContents contents(long chainId) {
            return store.contents(chainId);
        }
    }

    /** A sink with only the port's six methods: {@code eventBlocks} keeps its default, and is not checked. */
    @Nested
    class ASinkWithoutEventBlocks extends StateSinkConformance {
        private InMemoryStateSink store;

        @Override
        protected StateSink newSink() {
            store = new InMemoryStateSink();
            return new StateSink() {
                @Override
                public Optional<Checkpoint> checkpoint(long chainId, String scope) {
                    return store.checkpoint(chainId, scope);
                }

                @Override
                public List<DiamondRecord> diamonds(long chainId) {
                    return store.diamonds(chainId);
                }

                @Override
                public Optional<DiamondRecord> diamond(long chainId, Address address) {
                    return store.diamond(chainId, address);
                }

                @Override
                public ApplyResult apply(ChangeSet changes) {
                    return store.apply(changes);
                }

                @Override
                public void rollback(long chainId, BlockId fork) {
                    store.rollback(chainId, fork);
                }

                @Override
                public void reset(long chainId) {
                    store.reset(chainId);
                }
            };
        }

        @Override
        protected StoreContents contents(long chainId) {
            return store.contents(chainId);
        }

        @Override
        protected boolean listsEventBlocks() {
            return false;
        }
    }
}
