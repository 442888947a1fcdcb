package io.gemforce.sync.internal.realtime;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StateSink;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far a named listener has taken the changes, kept in the store as the checkpoint
 * {@code listener:<name>} (moved back with the others by a rollback). Written by the follower's loop
 * thread between rounds, never inside a commit; it trails the data, so a crash between the two
 * makes changes delivered again, never lost.
 */
final class DeliveryCursor {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryCursor.class);

    private final ChainSource chain;
    private final StateSink sink;
    private final Network net;
    private final String scope;
    private BlockId saved;

    DeliveryCursor(ChainSource chain, StateSink sink, Network net, String name) {
        this.chain = chain;
        this.sink = sink;
        this.net = net;
        this.scope = "listener:" + name;
    }

    /**
     * The committed blocks the listener has not taken: empty when there are none (or the name is new,
     * which starts it at the store's checkpoint), else the cursor to replay from and the block to
     * replay to.
     */
    Optional<Replay> pending() {
        Optional<Checkpoint> all = sink.checkpoint(net.chainId(), Checkpoint.allScope());
        Optional<Checkpoint> cursor = sink.checkpoint(net.chainId(), scope);
        if (cursor.isEmpty()) {
            // a new name: from the store's checkpoint, or from before the network's start block
            save(all.map(Checkpoint::block).orElseGet(this::beforeStart));
            return Optional.empty();
        }
        saved = cursor.get().block();
        if (all.isEmpty() || all.get().blockNumber() <= saved.number()) {
            return Optional.empty();
        }
        return Optional.of(new Replay(saved, all.get().blockNumber()));
    }

    private BlockId beforeStart() {
        long n = Math.max(0, net.startBlock() - 1);
        return chain.block(n).orElseThrow(() -> new ChainException(ErrorCode.CHAIN_ERROR,
                "block " + n + " is not on the chain")).id();
    }

    /** From {@code cursor} (exclusive) to {@code to} (inclusive). */
    record Replay(BlockId cursor, long to) {
    }

    /**
     * A store to replay into: the real store's diamonds as stale records (their state is loaded again
     * at the cursor) and an {@code all} checkpoint at the cursor. The real store is not touched.
     */
    InMemoryStateSink scratch(Replay r) {
        InMemoryStateSink scratch = new InMemoryStateSink();
        List<DiamondRecord> stale = sink.diamonds(net.chainId()).stream().map(DiamondRecord::stale).toList();
        scratch.apply(new ChangeSet(net.name(), net.chainId(), List.of(), stale,
                List.of(new Checkpoint(Checkpoint.allScope(), r.cursor().number(), r.cursor().hash(), List.of()))));
        return scratch;
    }

    /** Stores the cursor when it moved. */
    void save(BlockId taken) {
        if (taken == null || taken.equals(saved)) {
            return;
        }
        try {
            sink.apply(new ChangeSet(net.name(), net.chainId(), List.of(), List.of(),
                    List.of(new Checkpoint(scope, taken.number(), taken.hash(), List.of()))));
            saved = taken;
        } catch (RuntimeException e) {
            LOG.warn("{}: could not store the delivery cursor ({}); it is stored with the next round", net.name(),
                    e.getMessage());
        }
    }
}
