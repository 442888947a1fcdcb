package io.gemforce.sync.examples.cli;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StateSink;
import java.util.List;

/** Stores nothing: used only to learn the ranges when the in-memory variant is skipped. */
final class CountingSink implements StateSink {
    private final InMemoryStateSink checkpoints = new InMemoryStateSink();

    @Override
    public java.util.Optional<io.gemforce.sync.sink.Checkpoint> checkpoint(long chainId, String scope) {
        return checkpoints.checkpoint(chainId, scope);
    }

    @Override
    public List<io.gemforce.sync.sink.DiamondRecord> diamonds(long chainId) {
        return List.of();
    }

    @Override
    public java.util.Optional<io.gemforce.sync.sink.DiamondRecord> diamond(long chainId, Address address) {
        return java.util.Optional.empty();
    }

    @Override
    public io.gemforce.sync.sink.ApplyResult apply(io.gemforce.sync.sink.ChangeSet changes) {
        checkpoints.apply(new io.gemforce.sync.sink.ChangeSet(changes.network(), changes.chainId(), List.of(), List.of(),
                changes.checkpoints()));
        return new io.gemforce.sync.sink.ApplyResult(changes.events().size(), 0);
    }

    @Override
    public void rollback(long chainId, io.gemforce.sync.chain.BlockId fork) {
        checkpoints.rollback(chainId, fork);
    }

    @Override
    public void reset(long chainId) {
        checkpoints.reset(chainId);
    }
}
