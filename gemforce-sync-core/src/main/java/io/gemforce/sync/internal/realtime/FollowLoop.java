package io.gemforce.sync.internal.realtime;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.InvalidInputException;
import io.gemforce.sync.NotADiamondException;
import io.gemforce.sync.ReorgTooDeepException;
import io.gemforce.sync.SyncError;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.web3j.NewHeadsSubscription;
import io.gemforce.sync.follow.DiamondChange;
import io.gemforce.sync.follow.FollowOptions;
import io.gemforce.sync.follow.FollowStatus;
import io.gemforce.sync.follow.Follower;
import io.gemforce.sync.internal.CommitObserver;
import io.gemforce.sync.internal.EngineMetrics;
import io.gemforce.sync.internal.state.Applied;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.StateSink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower: rounds of the historical pipeline ({@code syncAll} from the checkpoint to the target)
 * on a thread of its own, one after another while behind, then one per new head (a poll, or a
 * WebSocket's {@code newHeads} waking it early). A failed round is tried again after a back-off;
 * a reorg deeper than the window is located from the stored events' block hashes and rolled back.
 * The commits' changes go to the {@link Delivery} queue.
 */
public final class FollowLoop implements Follower, CommitObserver {
    private static final Logger LOG = LoggerFactory.getLogger(FollowLoop.class);

    /** One round: the pipeline over {@code sink} from its checkpoint to {@code toBlock} (null: the target). */
    @FunctionalInterface
    public interface Round {
        SyncSummary run(StateSink sink, Long toBlock, BooleanSupplier halt, CommitObserver observer);
    }

    private final Network net;
    private final FollowOptions options;
    private final Duration pollInterval;
    private final Round round;
    private final ForkFinder forks;
    private final StateSink sink;
    private final Delivery delivery;
    private final Thread thread;
    private final Object monitor = new Object();
    private volatile boolean stopRequested;
    private boolean woken;
    private NewHeadsSubscription heads;
    /** The listener's stored cursor, or null when none is kept. */
    private final DeliveryCursor cursor;
    private boolean replaying;
    /** A replay round into a scratch store is running. */
    private volatile boolean inReplay;

    // status, written by the loop thread under the monitor
    private FollowStatus.State state = FollowStatus.State.BACKFILLING;
    private long head = -1;
    private long target = -1;
    private long synced = -1;
    private String lastError;
    private Instant lastCommit;
    private Instant syncedTime;
    private long roundsStarted;
    private long lastCaughtUpRound;

    private FollowLoop(Network net, FollowOptions options, ChainSource chain, StateSink sink, Round round) {
        this.net = net;
        this.options = options;
        this.pollInterval = options.pollInterval() != null ? options.pollInterval()
                : FollowOptions.defaultPollInterval(net.chainId());
        this.round = round;
        this.sink = sink;
        this.forks = new ForkFinder(chain, sink, net);
        this.delivery = new Delivery(net.name(), options.listener(), options.queueCapacity());
        this.cursor = options.deliveryCursor() == null ? null : new DeliveryCursor(chain, sink, net, options.deliveryCursor());
        this.thread = new Thread(this::loop, "gemforce-follow-" + net.name());
    }

    /** Starts following {@code net} (its confirmations already set for the mode). */
    public static Follower start(Network net, FollowOptions options, ChainSource chain, StateSink sink,
            EngineMetrics metrics, Round round) {
        FollowLoop f = new FollowLoop(net, options, chain, sink, round);
        metrics.queue(net, f.delivery::queued);
        f.delivery.start();
        if (options.webSocketUrl() != null) {
            f.heads = NewHeadsSubscription.open(options.webSocketUrl(), f::wake, Duration.ofSeconds(5));
        }
        f.thread.start();
        return f;
    }

    private void loop() {
        long backoff = pollInterval.toMillis();
        try {
            while (!stopRequested) {
                long seq;
                synchronized (monitor) {
                    seq = ++roundsStarted;
                }
                boolean caughtUp;
                try {
                    if (cursor != null && replayUndelivered()) {
                        continue;
                    }
                    SyncSummary s = round.run(sink, null, () -> stopRequested, this);
                    caughtUp = finished(s, seq);
                    backoff = pollInterval.toMillis();
                    if (!caughtUp && !stopRequested && s.status() == SyncStatus.FAILED) {
                        retryLater(backoff = Math.min(backoff * 2, options.maxBackoff().toMillis()));
                        continue;
                    }
                } catch (ReorgTooDeepException e) {
                    recoverDeepReorg(e);
                    continue;
                } catch (InvalidInputException | NotADiamondException e) {
                    fail(e);
                    return;
                } catch (SyncException e) {
                    if (e.code() == ErrorCode.CHAIN_ID_MISMATCH) {
                        fail(e);
                        return;
                    }
                    failedRound(e.code() + ": " + e.getMessage());
                    retryLater(backoff);
                    backoff = Math.min(backoff * 2, options.maxBackoff().toMillis());
                    continue;
                } catch (RuntimeException e) {
                    LOG.warn("{}: a follow round failed unexpectedly", net.name(), e);
                    failedRound(ErrorCode.CHAIN_ERROR + ": " + e);
                    retryLater(backoff);
                    backoff = Math.min(backoff * 2, options.maxBackoff().toMillis());
                    continue;
                }
                if (cursor != null) {
                    cursor.save(delivery.taken());
                }
                if (caughtUp) {
                    awaitNextHead(pollInterval.toMillis());
                }
            }
        } finally {
            synchronized (monitor) {
                if (state != FollowStatus.State.FAILED) {
                    state = FollowStatus.State.STOPPED;
                }
                monitor.notifyAll();
            }
            if (heads != null) {
                heads.close();
            }
        }
    }

    /**
     * Before the first round with a delivery cursor: the changes committed after it are read again
     * from the chain into a scratch store and delivered. True when a replay ran (the loop goes on).
     */
    private boolean replayUndelivered() {
        if (replaying) {
            return false;
        }
        replaying = true;
        var pending = cursor.pending();
        if (pending.isEmpty()) {
            return false;
        }
        var r = pending.get();
        LOG.info("{}: delivering again the changes of blocks {}..{} committed before the listener took them",
                net.name(), r.cursor().number() + 1, r.to());
        SyncSummary s;
        inReplay = true;
        try {
            s = round.run(cursor.scratch(r), r.to(), () -> stopRequested, this);
        } finally {
            inReplay = false;
        }
        if (s.status() == SyncStatus.FAILED || s.lastSyncedBlock() < r.to()) {
            replaying = false; // tried again after the back-off
            throw new SyncException(ErrorCode.CHAIN_ERROR, "replaying the undelivered changes stopped at block "
                    + s.lastSyncedBlock() + ": " + s.errors());
        }
        return true;
    }

    /** Records a round's result; true when it reached its target. */
    private boolean finished(SyncSummary s, long seq) {
        synchronized (monitor) {
            if (s.lastSyncedBlock() >= 0) {
                synced = s.lastSyncedBlock(); // a rollback can move it back
            }
            boolean caughtUp = synced >= target && s.status() != SyncStatus.FAILED;
            List<SyncError> roundErrors = s.errors().stream()
                    .filter(e -> !SyncError.NOT_RECONCILED.equals(e.code()) && !SyncError.STATE_MISMATCH.equals(e.code())
                            && !ErrorCode.INVALID_CUT.name().equals(e.code()) && !ErrorCode.MALFORMED_EVENT.name().equals(e.code()))
                    .toList();
            if (caughtUp) {
                state = FollowStatus.State.FOLLOWING;
                lastCaughtUpRound = seq;
                lastError = null;
            } else if (!roundErrors.isEmpty()) {
                state = FollowStatus.State.RETRYING;
                lastError = roundErrors.get(0).code() + ": " + roundErrors.get(0).message();
            }
            monitor.notifyAll();
            return caughtUp;
        }
    }

    private void recoverDeepReorg(ReorgTooDeepException e) {
        LOG.warn("{}: {}; looking for the fork among the stored events", net.name(), e.getMessage());
        try {
            BlockId fork = forks.find(e.checkpointBlock(), e);
            LOG.warn("{}: reorg deeper than the window; rolling back to block {}, the newest stored event still "
                    + "on the chain", net.name(), fork.number());
            sink.rollback(net.chainId(), fork);
            rolledBack(net.chainId(), fork, e.checkpointBlock());
        } catch (ReorgTooDeepException none) {
            fail(none);
            stopRequested = true;
        } catch (RuntimeException other) {
            failedRound(other.getMessage());
            retryLater(options.maxBackoff().toMillis());
        }
    }

    private void fail(SyncException e) {
        LOG.error("{}: following stopped: {}", net.name(), e.getMessage());
        synchronized (monitor) {
            state = FollowStatus.State.FAILED;
            lastError = e.code() + ": " + e.getMessage();
            monitor.notifyAll();
        }
    }

    private void failedRound(String message) {
        LOG.warn("{}: follow round failed ({}); trying again", net.name(), message);
        synchronized (monitor) {
            state = FollowStatus.State.RETRYING;
            lastError = message;
            monitor.notifyAll();
        }
    }

    private void retryLater(long millis) {
        awaitNextHead(millis);
    }

    /** Waits for a new head signal, a stop or {@code millis}. */
    private void awaitNextHead(long millis) {
        long until = System.nanoTime() + millis * 1_000_000;
        synchronized (monitor) {
            while (!woken && !stopRequested) {
                long left = (until - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                try {
                    monitor.wait(left);
                } catch (InterruptedException ie) {
                    stopRequested = true;
                    Thread.currentThread().interrupt();
                }
            }
            woken = false;
        }
    }

    private void wake() {
        synchronized (monitor) {
            woken = true;
            monitor.notifyAll();
        }
    }

    // CommitObserver: called on the loop thread by the round

    @Override
    public void started(BlockRef h, long from, long to) {
        synchronized (monitor) {
            head = h.number();
            if (!inReplay) {
                target = to;
            }
        }
    }

    @Override
    public void syncedTo(BlockRef end) {
        if (inReplay) {
            return; // a replay into the scratch store says nothing about the real one
        }
        synchronized (monitor) {
            synced = Math.max(synced, end.number());
            syncedTime = Instant.ofEpochSecond(end.timestamp());
        }
    }

    @Override
    public void committed(ChangeSet changes, List<Applied> applied) {
        synchronized (monitor) {
            lastCommit = Instant.now();
        }
        offer(ChangeFeed.changes(net, applied));
        changes.checkpoints().stream().filter(cp -> cp.scope().equals(Checkpoint.allScope())).findFirst()
                .ifPresent(cp -> mark(cp.block()));
    }

    private void mark(BlockId through) {
        if (cursor == null) {
            return;
        }
        try {
            delivery.offerMarker(through);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException(ErrorCode.INTERRUPTED, "interrupted while the listener's queue was full");
        }
    }

    @Override
    public void rolledBack(long chainId, BlockId fork, long fromBlock) {
        synchronized (monitor) {
            synced = Math.min(synced, fork.number());
        }
        offer(List.of(new DiamondChange.RolledBack(net.name(), chainId, fromBlock, fork.number(), fork.hash())));
        mark(fork);
    }

    private void offer(List<DiamondChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        try {
            delivery.offer(changes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException(ErrorCode.INTERRUPTED, "interrupted while the listener's queue was full");
        }
    }

    // Follower

    @Override
    public FollowStatus status() {
        synchronized (monitor) {
            long lag = head >= 0 && synced >= 0 ? Math.max(0, head - synced) : 0;
            return new FollowStatus(net.name(), state, head, target, synced, lag, syncedTime, lastError, lastCommit,
                    delivery.delivered(), delivery.queued());
        }
    }

    @Override
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            long after = roundsStarted;
            woken = true; // start the next round now
            monitor.notifyAll();
            while (lastCaughtUpRound <= after) {
                if (state == FollowStatus.State.FAILED || state == FollowStatus.State.STOPPED) {
                    return false;
                }
                long left = (until - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                monitor.wait(left);
            }
            return true;
        }
    }

    @Override
    public boolean stop(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        stopRequested = true;
        wake();
        thread.join(Math.max(1, timeout.toMillis()));
        if (thread.isAlive()) {
            return false;
        }
        boolean drained = delivery.drainAndClose(Duration.ofNanos(Math.max(1_000_000, until - System.nanoTime())));
        if (cursor != null) {
            cursor.save(delivery.taken());
        }
        return drained;
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }
}
