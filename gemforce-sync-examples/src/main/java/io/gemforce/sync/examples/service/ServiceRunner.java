package io.gemforce.sync.examples.service;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.abi.KnownSignatures;
import io.gemforce.sync.chain.web3j.RpcTries;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.examples.jdbc.JdbcStateSink;
import io.gemforce.sync.follow.ChangeListener;
import io.gemforce.sync.follow.FollowOptions;
import io.gemforce.sync.follow.FollowStatus;
import io.gemforce.sync.follow.Follower;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.parse.ParseClient;
import io.gemforce.sync.parse.ParseStateSink;
import io.gemforce.sync.parse.Secret;
import io.gemforce.sync.sink.LeaseStore;
import io.gemforce.sync.sink.StateSink;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link ServiceConfig}: one store, one {@link DiamondSyncer} and chain source per network, a
 * follower per network, and (with a health port) {@code /health} and {@code /metrics}. Stopping
 * stops every follower at a range boundary and closes what it opened.
 */
public final class ServiceRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);

    private final ServiceConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Web3jChainSource> chains = new LinkedHashMap<>();
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final ScheduledExecutorService elections = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gemforce-leases");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopping;
    private final Set<List<String>> boundRpcMeters = new HashSet<>();
    private StateSink sink;
    private ParseClient parseClient;
    private HealthServer health;

    public ServiceRunner(ServiceConfig config) {
        this.config = config;
    }

    /**
     * Opens the store and the chain sources and starts following every network; {@code listener}
     * gets the network's name and each of its changes.
     */
    public ServiceRunner start(KnownSignatures names, Function<String, ChangeListener> listener) {
        sink = openStore(config.store(), names);
        Networks.Builder all = Networks.defaults().toBuilder();
        config.networks().forEach(n -> all.add(n.network()));
        Networks networks = all.build();
        for (ServiceConfig.NetworkSettings n : config.networks()) {
            String name = n.network().name();
            Web3jChainSource chain = Web3jChainSource.builder().rpcUrls(n.rpcUrls())
                    .requestsPerSecond(n.requestsPerSecond()).anyAddressLogs(!n.addressedLogs()).build();
            chains.put(name, chain);
            DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chain).sink(sink).networks(networks)
                    .concurrency(n.concurrency()).meterRegistry(registry).build();
            FollowOptions options = FollowOptions.builder().mode(n.mode()).pollInterval(n.pollInterval())
                    .webSocketUrl(n.wsUrl()).listener(listener.apply(name)).build();
            slots.put(name, new Slot(name, syncer, options));
        }
        if (sink instanceof LeaseStore leases) {
            // one instance leads each network: take, renew or give up every lease a third of its ttl
            long every = Math.max(50, config.lease().ttl().toMillis() / 3);
            elections.scheduleWithFixedDelay(() -> elect(leases), 0, every, TimeUnit.MILLISECONDS);
        } else {
            slots.values().forEach(Slot::lead); // a store without leases: this instance leads everything
        }
        if (config.health().port() > 0) {
            health = HealthServer.start(config.health(), this);
        }
        return this;
    }

    /**
     * One election round: this instance's presence lease, then each network's. Networks spread over
     * the live instances: an instance holding more than its fair share ({@code ceil(networks /
     * instances)}) gives one up per round, and one at its share takes no more.
     */
    private void elect(LeaseStore leases) {
        String me = config.lease().holder();
        Duration ttl = config.lease().ttl();
        int fair = slots.size();
        try {
            leases.acquire("instance:" + me, me, ttl);
            int instances = Math.max(1, leases.live("instance:").size());
            fair = (slots.size() + instances - 1) / instances;
        } catch (RuntimeException e) {
            LOG.debug("presence lease: {}", e.getMessage());
        }
        int mine = (int) slots.values().stream().filter(s -> s.follower != null).count();
        boolean gaveOne = false;
        for (Slot s : slots.values()) {
            try {
                if (s.follower != null && mine > fair && !gaveOne) {
                    LOG.info("{}: more than this instance's share ({} of {}); handing it over", s.name, mine, fair);
                    s.standBy();
                    leases.release("network:" + s.name, me);
                    mine--;
                    gaveOne = true;
                    continue;
                }
                if (s.follower == null && mine >= fair) {
                    continue; // at its share: leave free networks to the others
                }
                boolean held = !stopping && leases.acquire("network:" + s.name, me, ttl);
                if (held && s.follower == null) {
                    LOG.info("{}: this instance ({}) leads", s.name, me);
                    s.lead();
                    mine++;
                } else if (!held && s.follower != null) {
                    LOG.warn("{}: the lease went to another instance; standing by", s.name);
                    s.standBy();
                    mine--;
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: lease check failed ({}); keeping the current role until the lease runs out", s.name,
                        e.getMessage());
            }
        }
    }

    /** One configured network here: its syncer and, while this instance leads it, its follower. */
    private static final class Slot {
        final String name;
        final DiamondSyncer syncer;
        final FollowOptions options;
        volatile Follower follower;

        Slot(String name, DiamondSyncer syncer, FollowOptions options) {
            this.name = name;
            this.syncer = syncer;
            this.options = options;
        }

        synchronized void lead() {
            if (follower == null) {
                follower = syncer.follow(name, options);
            }
        }

        synchronized void standBy() {
            Follower f = follower;
            follower = null;
            if (f != null) {
                try {
                    f.stop(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private StateSink openStore(ServiceConfig.Store s, KnownSignatures names) {
        if (s.parse()) {
            parseClient = ParseClient.builder().serverUrl(s.parseUrl()).applicationId(s.parseAppId())
                    .masterKey(Secret.of(s.parseMasterKey())).build();
            return ParseStateSink.builder(parseClient).signatures(names).build();
        }
        return JdbcStateSink.open(s.jdbcUrl(), s.jdbcUser(), s.jdbcPassword(), names);
    }

    /** Every network's status here, in configuration order: leader with its follower's status, or standby. */
    public Map<String, NetworkView> statuses() {
        Map<String, NetworkView> out = new LinkedHashMap<>();
        slots.forEach((n, s) -> {
            Follower f = s.follower;
            out.put(n, new NetworkView(n, f != null, f == null ? null : f.status()));
        });
        return out;
    }

    /** A network as this instance sees it: whether it leads it, and its follower's status when it does. */
    public record NetworkView(String network, boolean leader, FollowStatus status) {
    }

    /** The health port actually bound (the configured one, or a free one for port 0 in tests), or -1. */
    public int healthPort() {
        return health == null ? -1 : health.port();
    }

    ServiceConfig config() {
        return config;
    }

    /** The Prometheus text of every meter, RPC tries by method, provider and outcome included. */
    String scrape() {
        synchronized (boundRpcMeters) {
            chains.forEach((network, chain) -> {
                for (RpcTries t : chain.rpcTries()) {
                    List<String> key = List.of(network, t.method(), t.provider(), t.outcome());
                    if (boundRpcMeters.add(key)) {
                        FunctionCounter.builder(t.outcome().equals("ok") ? "gemforce.rpc.calls" : "gemforce.rpc.errors",
                                chain, c -> count(c, t.method(), t.provider(), t.outcome()))
                                .tag("network", network).tag("method", t.method()).tag("provider", t.provider())
                                .tag("outcome", t.outcome()).description("JSON-RPC HTTP tries").register(registry);
                    }
                }
            });
        }
        return registry.scrape();
    }

    private static double count(Web3jChainSource c, String method, String provider, String outcome) {
        return c.rpcTries().stream().filter(t -> t.method().equals(method) && t.provider().equals(provider)
                && t.outcome().equals(outcome)).mapToLong(RpcTries::count).sum();
    }

    /**
     * Stops every follower (each at a range boundary, its listener drained), gives the leases up so
     * another instance takes over at once, then closes everything.
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        stopping = true;
        elections.shutdownNow();
        elections.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        boolean clean = true;
        List<Thread> stoppers = new ArrayList<>();
        for (Slot s : slots.values()) {
            Thread t = new Thread(s::standBy);
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            t.join(timeout.toMillis() + 1_000);
            clean &= !t.isAlive();
        }
        if (sink instanceof LeaseStore leases) {
            List<String> names = new ArrayList<>();
            slots.keySet().forEach(n -> names.add("network:" + n));
            names.add("instance:" + config.lease().holder());
            for (String n : names) {
                try {
                    leases.release(n, config.lease().holder());
                } catch (RuntimeException e) {
                    LOG.warn("{}: could not give the lease up ({}); it runs out by itself", n, e.getMessage());
                }
            }
        }
        close();
        return clean;
    }

    @Override
    public void close() {
        elections.shutdownNow();
        if (health != null) {
            health.close();
        }
        chains.values().forEach(Web3jChainSource::close);
        if (sink instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing the store: {}", e.toString());
            }
        }
        if (parseClient != null) {
            parseClient.close();
        }
        registry.close();
    }
}
