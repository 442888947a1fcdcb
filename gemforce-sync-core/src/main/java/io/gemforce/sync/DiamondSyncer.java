package io.gemforce.sync;

import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.follow.ChangeListener;
import io.gemforce.sync.follow.FollowMode;
import io.gemforce.sync.follow.FollowOptions;
import io.gemforce.sync.follow.Follower;
import io.gemforce.sync.internal.ChainAccess;
import io.gemforce.sync.internal.Guarded;
import io.gemforce.sync.internal.CommitObserver;
import io.gemforce.sync.internal.EngineMetrics;
import io.gemforce.sync.internal.RunSettings;
import io.gemforce.sync.internal.SyncPipeline;
import io.gemforce.sync.internal.realtime.FollowLoop;
import io.gemforce.sync.internal.state.Scope;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.StateSink;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The façade host applications call: the three sync operations of the Gemforce cloud functions,
 * {@link #syncAll}, {@link #syncDiamond} and {@link #syncEvents}.
 *
 * <p>Every operation validates its input first (network, address, block numbers, event type) and
 * throws an {@link InvalidInputException} before anything is read or written. It then reads the
 * chain range by range and writes one {@link io.gemforce.sync.sink.ChangeSet} per range, events,
 * diamond state and checkpoint together, so a run that stops anywhere resumes where its
 * checkpoint says.
 *
 * <p>Failures, one rule: what stops an operation before its first range is thrown as a typed
 * {@link SyncException} (bad input; a contract that is not a diamond; a node that cannot be reached
 * or serves another chain; a store that cannot be read; a reorg deeper than the window), and nothing
 * of the run's sync is stored; what goes wrong after is reported in the returned {@link SyncSummary}
 * ({@code partial} or {@code failed}, with typed {@code errors}). Exceptions of a host's own sink or
 * chain source are typed at the port ({@code SINK_FAILURE}, {@code CHAIN_ERROR}, the original as
 * the cause). See {@code docs/errors.md}.
 *
 * <p>Thread-safety: immutable after {@link Builder#build()} and safe to call from any number of
 * threads at once, for the same or different networks, diamonds and operations. A chain source that
 * is not {@link ChainSource#threadSafe() thread-safe} is never entered by two threads at once, even
 * when several syncers share it (the lock is the source object). The sink must be thread-safe
 * ({@link StateSink}). Concurrent runs of the same network and scope stay correct (writes are
 * idempotent and every commit is a consistent state) but do the same work twice.
 *
 * <pre>{@code
 * DiamondSyncer syncer = DiamondSyncer.builder()
 *     .chainSource(chain)            // e.g. a Web3jChainSource
 *     .sink(new InMemoryStateSink())
 *     .networks(Networks.defaults().toBuilder().add(baseSepoliaWithFactory).build())
 *     .build();
 * SyncSummary s = syncer.syncAll("base-sepolia", null, null, false);
 * }</pre>
 */
public final class DiamondSyncer {
    private final Function<Network, ChainSource> chains;
    private final StateSink sink;
    /** {@link #sink} as the engine calls it: foreign exceptions typed ({@link Guarded}). */
    private final StateSink guardedSink;
    private final Networks networks;
    private final RunSettings settings;
    /** One access (serialization, range planner) per chain source, shared by the syncers derived from this one. */
    private final ChainAccess.Registry access;
    private final MeterRegistry meterRegistry;

    private DiamondSyncer(Builder b) {
        this.chains = Objects.requireNonNull(b.chains, "chainSource");
        this.sink = Objects.requireNonNull(b.sink, "sink");
        this.guardedSink = Guarded.sink(sink);
        this.networks = b.networks;
        this.settings = new RunSettings(b.reorgWindow, b.initialRange, b.minRange, b.maxRange, b.growAfter,
                b.forgetAfter, b.maxAddressesPerQuery, b.timeBudget, b.clock, b.reconcile, b.pendingLookbackBlocks,
                b.listener, b.prefetch, b.concurrency, b.commitRanges, b.commitInterval, () -> false,
                CommitObserver.NONE, b.meterRegistry == null ? EngineMetrics.NONE
                        : b.metrics != null && b.metrics.registry() == b.meterRegistry ? b.metrics
                        : new EngineMetrics(b.meterRegistry));
        this.meterRegistry = b.meterRegistry;
        this.access = b.access != null ? b.access : new ChainAccess.Registry();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same syncer with another time budget per call ({@code null}: none). */
    public DiamondSyncer withTimeBudget(Duration budget) {
        Builder b = toBuilder();
        b.timeBudget = budget;
        return b.build();
    }

    /** The same syncer reporting progress to {@code listener}. */
    public DiamondSyncer withListener(SyncListener listener) {
        Builder b = toBuilder();
        b.listener = Objects.requireNonNull(listener);
        return b.build();
    }

    /**
     * Syncs every known diamond of a network: the diamonds created by the network's factories
     * ({@code DiamondCreated} logs), the ones already stored, and the network's configured ones.
     *
     * @param network name, alias or chain id
     * @param fromBlock first block; {@code null}: after the stored checkpoint, else the network's start block
     * @param toBlock last block; {@code null}: the head minus the network's confirmations
     * @param reindexAll {@code true} deletes everything stored for the network first
     */
    public SyncSummary syncAll(String network, Long fromBlock, Long toBlock, Boolean reindexAll) {
        Network net = networks.resolve(network);
        validateBlocks(fromBlock, toBlock);
        Scope scope = new Scope(Scope.Kind.ALL, null, EnumSet.allOf(EventType.class), Set.copyOf(net.factories()));
        return pipeline(net, scope, fromBlock, toBlock, Boolean.TRUE.equals(reindexAll)).run();
    }

    /** {@link #syncAll(String, Long, Long, Boolean)} from the checkpoint to the confirmed head. */
    public SyncSummary syncAll(String network) {
        return syncAll(network, null, null, false);
    }

    /**
     * Syncs one diamond: its facets, owner, pending upgrade and events.
     *
     * @param fromBlock first block; {@code null}: after the diamond's last synced block, else its
     *     creation block
     * @throws NotADiamondException when the address holds no code or does not answer the loupe
     */
    public SyncSummary syncDiamond(String diamondAddress, String network, Long fromBlock) {
        Network net = networks.resolve(network);
        Address diamond = Address.of(diamondAddress);
        validateBlocks(fromBlock, null);
        Scope scope = new Scope(Scope.Kind.DIAMOND, diamond, EnumSet.allOf(EventType.class), Set.copyOf(net.factories()));
        return pipeline(net, scope, fromBlock, null, false).run();
    }

    /**
     * Indexes the events of one diamond without deriving its state. The cloud function returns the
     * summary's {@code eventsIndexed}.
     *
     * @param eventType one of {@code DiamondCut}, {@code OwnershipTransferred}, {@code DiamondCutProposed},
     *     {@code DiamondCutCancelled}, {@code DiamondCreated}; {@code null}: all
     * @param fromBlock first block; {@code null}: after this scope's checkpoint, else the diamond's
     *     creation block
     */
    public SyncSummary syncEvents(String diamondAddress, String network, String eventType, Long fromBlock) {
        Network net = networks.resolve(network);
        Address diamond = Address.of(diamondAddress);
        validateBlocks(fromBlock, null);
        Set<EventType> types = eventType == null ? EnumSet.allOf(EventType.class) : EnumSet.of(EventType.parse(eventType));
        Scope scope = new Scope(Scope.Kind.EVENTS, diamond, types, Set.copyOf(net.factories()));
        return pipeline(net, scope, fromBlock, null, false).run();
    }

    /**
     * Follows a network: syncs it up to the head like {@link #syncAll(String)}, then keeps the store
     * in step with every new head on a thread of its own, and pushes each committed change to the
     * options' {@link ChangeListener}. Returns at once; {@link Follower#stop} ends it.
     *
     * <p>In {@link FollowMode#CONFIRMED} mode it indexes up to the head minus the network's
     * confirmations; in {@link FollowMode#HEAD} mode up to the head, rolling the store back when a
     * reorg replaces blocks it holds. Failed rounds (node or store down) are tried again with a
     * back-off; a reorg deeper than the reorg window is rolled back to the newest stored event still
     * on the chain. Two followers of one network on one store must not run at once.
     *
     * @throws InvalidInputException for an unknown network
     */
    public Follower follow(String network, FollowOptions options) {
        Network resolved = networks.resolve(network);
        Network net = options.mode() == FollowMode.HEAD ? resolved.withConfirmations(0) : resolved;
        Scope scope = new Scope(Scope.Kind.ALL, null, EnumSet.allOf(EventType.class), Set.copyOf(net.factories()));
        ChainAccess chainAccess = access.of(chains.apply(net), settings);
        return FollowLoop.start(net, options, chainAccess.chain(), guardedSink, settings.metrics(), (store, to, halt, observer) -> new SyncPipeline(
                settings.following(halt, observer), chainAccess, store, net, scope, null, to, false).run());
    }

    /** {@link #follow(String, FollowOptions)} in confirmed mode with the network's poll interval. */
    public Follower follow(String network, ChangeListener listener) {
        return follow(network, FollowOptions.builder().listener(listener).build());
    }

    private SyncPipeline pipeline(Network net, Scope scope, Long from, Long to, boolean reindexAll) {
        return new SyncPipeline(settings, access.of(chains.apply(net), settings), guardedSink, net, scope, from, to, reindexAll);
    }

    static void validateBlocks(Long from, Long to) {
        if (from != null && from < 0) {
            throw new InvalidInputException(ErrorCode.INVALID_BLOCK_RANGE, "fromBlock must not be negative, got " + from);
        }
        if (to != null && to < 0) {
            throw new InvalidInputException(ErrorCode.INVALID_BLOCK_RANGE, "toBlock must not be negative, got " + to);
        }
        if (from != null && to != null && from > to) {
            throw new InvalidInputException(ErrorCode.INVALID_BLOCK_RANGE,
                    "fromBlock " + from + " is greater than toBlock " + to);
        }
    }

    public Networks networks() {
        return networks;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.chains = chains;
        b.sink = sink;
        b.meterRegistry = meterRegistry;
        b.metrics = settings.metrics(); // the same meters for a derived syncer
        b.networks = networks;
        b.reorgWindow = settings.reorgWindow();
        b.initialRange = settings.initialRange();
        b.minRange = settings.minRange();
        b.maxRange = settings.maxRange();
        b.growAfter = settings.growAfter();
        b.forgetAfter = settings.forgetAfter();
        b.maxAddressesPerQuery = settings.maxAddressesPerQuery();
        b.timeBudget = settings.timeBudget();
        b.clock = settings.clock();
        b.reconcile = settings.reconcile();
        b.pendingLookbackBlocks = settings.pendingLookbackBlocks();
        b.listener = settings.listener();
        b.prefetch = settings.prefetch();
        b.concurrency = settings.concurrency();
        b.commitRanges = settings.commitRanges();
        b.commitInterval = settings.commitInterval();
        b.access = access;
        return b;
    }

    /** Configures a {@link DiamondSyncer}. Defaults suit public RPC providers. */
    public static final class Builder {
        private Function<Network, ChainSource> chains;
        private StateSink sink;
        private MeterRegistry meterRegistry;
        private EngineMetrics metrics;
        private Networks networks = Networks.defaults();
        private long reorgWindow = 64;
        private long initialRange = 2_000;
        private long minRange = 1;
        private long maxRange = 100_000;
        private int growAfter = 2;
        private int forgetAfter = 16;
        private int maxAddressesPerQuery = 500;
        private Duration timeBudget;
        private Clock clock = Clock.systemUTC();
        private boolean reconcile = true;
        private long pendingLookbackBlocks = Long.MAX_VALUE;
        private SyncListener listener = SyncListener.NONE;
        private boolean prefetch = true;
        private int concurrency = 4;
        private int commitRanges = 1;
        private Duration commitInterval = Duration.ofSeconds(1);
        private ChainAccess.Registry access;

        private Builder() {
        }

        /**
         * How many {@code eth_getLogs} requests the range reader keeps in flight (4). Ranges are
         * still handed on strictly in block order; a chain source that is not
         * {@link ChainSource#threadSafe() thread-safe} is called by one thread at a time whatever
         * this says.
         */
        public Builder concurrency(int requests) {
            if (requests < 1 || requests > 64) {
                throw new IllegalArgumentException("concurrency must be between 1 and 64");
            }
            this.concurrency = requests;
            return this;
        }

        /**
         * Whether to work ahead (true, the default): the next ranges are read and decoded while the
         * current one goes through the state step, each commit is written to the sink on a writer
         * thread while the following ranges are processed, and the stored checkpoint is read beside
         * the chain's head. Writes stay one at a time and in block order, and none is started after
         * one failed, so what is stored at any moment is what a sequential run would have stored. False: one range at a time, read, applied and written on
         * the calling thread (for a sink bound to its caller's thread, such as one joining the
         * caller's transaction). A chain source that is not thread-safe is called by one thread at a
         * time either way.
         */
        public Builder prefetch(boolean prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /**
         * How often the sync stores what it read: after {@code ranges} ranges or {@code interval},
         * whichever first, as one atomic {@link io.gemforce.sync.sink.ChangeSet} (its events, the
         * diamonds' state at its last block, the checkpoint). Default: every range (1 range, 1 s).
         * More ranges per commit means fewer, larger writes (a store with a high cost per write, such
         * as Parse, gains most) and more to read again after a crash.
         */
        public Builder commitEvery(int ranges, Duration interval) {
            if (ranges < 1 || interval == null || interval.isNegative()) {
                throw new IllegalArgumentException("commitEvery needs at least one range and a non-negative interval");
            }
            this.commitRanges = ranges;
            this.commitInterval = interval;
            return this;
        }

        /** One node for every network (its chain id is checked against the network's). */
        public Builder chainSource(ChainSource chain) {
            Objects.requireNonNull(chain, "chain");
            this.chains = n -> chain;
            this.access = null;
            return this;
        }

        /** A node per network. */
        public Builder chainSources(Function<Network, ChainSource> chains) {
            this.chains = Objects.requireNonNull(chains, "chains");
            this.access = null;
            return this;
        }

        public Builder sink(StateSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        public Builder networks(Networks networks) {
            this.networks = Objects.requireNonNull(networks, "networks");
            return this;
        }

        /** How many blocks below the checkpoint a reorg may reach before the sync refuses to guess (64). */
        public Builder reorgWindow(long blocks) {
            if (blocks < 1) {
                throw new IllegalArgumentException("reorgWindow must be positive");
            }
            this.reorgWindow = blocks;
            return this;
        }

        /** Blocks per {@code eth_getLogs}: first size, smallest and largest (2,000; 1; 100,000). */
        public Builder blockRange(long initial, long min, long max) {
            if (min < 1 || max < min || initial < min || initial > max) {
                throw new IllegalArgumentException("need 1 <= min <= initial <= max");
            }
            this.initialRange = initial;
            this.minRange = min;
            this.maxRange = max;
            return this;
        }

        /** Addresses per {@code eth_getLogs} (500); longer lists are split. */
        public Builder maxAddressesPerQuery(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxAddressesPerQuery must be positive");
            }
            this.maxAddressesPerQuery = max;
            return this;
        }

        /**
         * Wall-clock time a call may take before it stops at the next range boundary with status
         * {@code partial} ({@code null}: no limit).
         */
        public Builder timeBudget(Duration budget) {
            this.timeBudget = budget;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Whether to compare derived facets with the loupe at the end of a run (true). */
        public Builder reconcile(boolean reconcile) {
            this.reconcile = reconcile;
            return this;
        }

        /** How far back a snapshot looks for a pending upgrade when it has no other lower bound. */
        public Builder pendingLookbackBlocks(long blocks) {
            if (blocks < 0) {
                throw new IllegalArgumentException("pendingLookbackBlocks must not be negative");
            }
            this.pendingLookbackBlocks = blocks;
            return this;
        }

        public Builder listener(SyncListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Meters in the host's Micrometer registry, tagged by network: {@code gemforce.chain.head},
         * {@code gemforce.synced.block}, {@code gemforce.synced.block.time}, {@code gemforce.blocks.behind},
         * {@code gemforce.events.indexed}, {@code gemforce.sink.apply} (write latency) and, for followers,
         * {@code gemforce.listener.queue}. None by default.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        public DiamondSyncer build() {
            return new DiamondSyncer(this);
        }
    }
}
