package io.gemforce.sync.internal.realtime;

import io.gemforce.sync.ReorgTooDeepException;
import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.sink.StateSink;
import java.util.List;
import java.util.Optional;

/**
 * Finds where a reorg deeper than the window forked: the highest block of a stored event that is
 * still on the canonical chain (the stored events' blocks are read newest first, a page at a time,
 * and their hashes compared with the chain's in one batch per page). Everything stored above it is
 * off the chain or has no events, so rolling back there loses nothing canonical.
 */
final class ForkFinder {
    static final int PAGE = 64;

    private final ChainSource chain;
    private final StateSink sink;
    private final Network net;

    ForkFinder(ChainSource chain, StateSink sink, Network net) {
        this.chain = chain;
        this.sink = sink;
        this.net = net;
    }

    /**
     * @param below the checkpoint that is no longer canonical
     * @throws ReorgTooDeepException when no stored event is on the canonical chain any more, or the
     *     sink lists none ({@link StateSink#eventBlocks}'s default)
     */
    BlockId find(long below, ReorgTooDeepException cause) {
        long cursor = below;
        while (cursor >= 0) {
            List<BlockId> page = sink.eventBlocks(net.chainId(), cursor, PAGE);
            if (page.isEmpty()) {
                break;
            }
            List<Optional<BlockRef>> now = chain.blocks(page.stream().map(BlockId::number).toList());
            for (int i = 0; i < page.size(); i++) {
                BlockId stored = page.get(i);
                Optional<BlockRef> b = now.get(i);
                if (b.isPresent() && b.get().hash().equalsIgnoreCase(stored.hash())) {
                    return stored;
                }
            }
            cursor = page.get(page.size() - 1).number() - 1;
        }
        throw new ReorgTooDeepException(below, cause.window(), "the chain " + net.name() + " reorganised below block "
                + below + " and no stored event is on the canonical chain any more (or the sink does not list the"
                + " blocks of its events: StateSink.eventBlocks): nothing was changed (re-sync with reindexAll)");
    }
}
