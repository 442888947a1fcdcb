package io.gemforce.sync.testkit;

import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread-safe source over a {@link ScriptedChain} whose {@code eth_getLogs} answers come late by a
 * random delay (so concurrent requests complete out of order), are refused at random with
 * {@link ChainException.RangeTooLarge} (as a node that caps results would; a query of one block is
 * never refused) and fail at random with {@link ChainException.Unavailable} (as an unreachable node
 * would, after retries). Every other call, and the {@code eth_getLogs} that pass, answer what the
 * scripted chain answers. Seeded, so the faults of a single-threaded run repeat; with concurrent
 * requests their order, and so which request draws which fault, varies.
 *
 * <p>For property tests of the reading pipeline: whatever the faults, a sync that succeeds must
 * leave the store an undisturbed sync leaves. Script the chain before, not while, a sync runs.
 */
public final class ChaosChain implements ChainSource {
    private final ScriptedChain inner;
    private final Random random;
    private final int refusePercent;
    private final int failPercent;
    private final int maxDelayMillis;
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();

    /**
     * @param inner the chain that answers
     * @param seed the seed of the random faults and delays
     * @param refusePercent how often, in percent, a query over several blocks is refused as too large
     * @param failPercent how often, in percent, a query fails as the node being unreachable
     * @param maxDelayMillis the longest delay before a query is answered (0: none)
     */
    public ChaosChain(ScriptedChain inner, long seed, int refusePercent, int failPercent, int maxDelayMillis) {
        this.inner = inner;
        this.random = new Random(seed);
        this.refusePercent = refusePercent;
        this.failPercent = failPercent;
        this.maxDelayMillis = maxDelayMillis;
    }

    /** The most {@code eth_getLogs} calls seen in flight at once. */
    public int maxConcurrent() {
        return maxConcurrent.get();
    }

    private synchronized int roll(int bound) {
        return random.nextInt(bound);
    }

    /** {@code true}: several {@code eth_getLogs} run at once (their answers from the chain, one at a time). */
    @Override
    public boolean threadSafe() {
        return true;
    }

    /** The scripted chain's ({@link ScriptedChain#acceptAnyAddress}). */
    @Override
    public boolean anyAddressLogs() {
        return inner.anyAddressLogs();
    }

    @Override
    public List<RawLog> logs(LogQuery query) {
        int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        try {
            if (maxDelayMillis > 0) {
                Thread.sleep(roll(maxDelayMillis + 1));
            }
            if (query.blockCount() > 1 && roll(100) < refusePercent) {
                throw new ChainException.RangeTooLarge("query returned more than 10000 results (chaos)", -1);
            }
            if (roll(100) < failPercent) {
                throw new ChainException.Unavailable("chaos: connection reset", null);
            }
            synchronized (inner) {
                return inner.logs(query);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException.Unavailable("interrupted", e);
        } finally {
            concurrent.decrementAndGet();
        }
    }

    @Override
    public long chainId() {
        synchronized (inner) {
            return inner.chainId();
        }
    }

    @Override
    public BlockRef head() {
        synchronized (inner) {
            return inner.head();
        }
    }

    @Override
    public Optional<BlockRef> block(long number) {
        synchronized (inner) {
            return inner.block(number);
        }
    }

    @Override
    public List<Facet> facets(Address diamond, long block) {
        synchronized (inner) {
            return inner.facets(diamond, block);
        }
    }

    @Override
    public Optional<Address> owner(Address diamond, long block) {
        synchronized (inner) {
            return inner.owner(diamond, block);
        }
    }

    @Override
    public boolean hasCode(Address address, long block) {
        synchronized (inner) {
            return inner.hasCode(address, block);
        }
    }

    @Override
    public Optional<String> transactionInput(String transactionHash) {
        synchronized (inner) {
            return inner.transactionInput(transactionHash);
        }
    }
}
