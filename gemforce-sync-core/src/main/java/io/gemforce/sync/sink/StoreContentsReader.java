package io.gemforce.sync.sink;

/**
 * A read port a store may offer beside {@link StateSink}, for tests and tools: everything it holds
 * for one chain, in canonical order. The engine never calls it. Tests compare two stores with it (a
 * resumed or replayed sync must leave contents equal to an uninterrupted one's), and tools such as
 * the benchmarks check what a run stored. {@link InMemoryStateSink}, the Parse sink and the JDBC sink
 * of the examples implement it; a custom sink may, and the testkit's {@code StateSinkConformance}
 * reads a sink through it unless the test overrides how the contents are read.
 *
 * <p>Implementations must be thread-safe, as their {@link StateSink} is.
 */
public interface StoreContentsReader {

    /**
     * Everything stored for the chain: events ordered by block number, then log index, then uid;
     * diamonds by address; checkpoints by scope.
     *
     * @throws io.gemforce.sync.SinkException when the store cannot be read
     */
    StoreContents contents(long chainId);
}
