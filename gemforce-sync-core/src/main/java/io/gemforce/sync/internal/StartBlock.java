package io.gemforce.sync.internal;

import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.internal.state.Scope;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.StateSink;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a run with no checkpoint and no {@code fromBlock} starts: the network's start block for
 * {@code syncAll}; for one diamond its stored creation block, else the first block where it holds
 * code (a binary search, which needs a node that keeps old state; else the network's start block).
 */
final class StartBlock {
    private static final Logger LOG = LoggerFactory.getLogger(StartBlock.class);

    private final ChainSource chain;
    private final StateSink sink;
    private final Network net;
    private final Scope scope;

    StartBlock(ChainSource chain, StateSink sink, Network net, Scope scope) {
        this.chain = chain;
        this.sink = sink;
        this.net = net;
        this.scope = scope;
    }

    long find(long head) {
        if (!scope.targeted()) {
            return net.startBlock();
        }
        Optional<DiamondRecord> stored = sink.diamond(net.chainId(), scope.target());
        if (stored.isPresent() && stored.get().createdBlock() != null) {
            return stored.get().createdBlock();
        }
        return creationBlock(scope.target(), head);
    }

    private long creationBlock(Address a, long head) {
        long lo = net.startBlock();
        long hi = head;
        try {
            while (lo < hi) {
                long mid = lo + (hi - lo) / 2;
                if (chain.hasCode(a, mid)) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        } catch (ChainException e) {
            LOG.info("cannot find the creation block of {} ({}); starting at block {}", a, e.getMessage(),
                    net.startBlock());
            return net.startBlock();
        }
    }
}
