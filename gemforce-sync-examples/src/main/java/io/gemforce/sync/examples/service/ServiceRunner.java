package io.gemforce.sync.examples.service;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.abi.KnownSignatures;
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
    private final Map<String, Follower> followers = new LinkedHashMap<>();
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
                    .requestsPerSecond(n.requestsPerSecond()).build();
            chains.put(name, chain);
            DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chain).sink(sink).networks(networks)
                    .concurrency(n.concurrency()).meterRegistry(registry).build();
            Follower f = syncer.follow(name, FollowOptions.builder().mode(n.mode()).pollInterval(n.pollInterval())
                    .webSocketUrl(n.wsUrl()).listener(listener.apply(name)).build());
            followers.put(name, f);
            LOG.info("following {} ({} mode)", name, n.mode().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (config.health().port() > 0) {
            health = HealthServer.start(config.health(), this);
        }
        return this;
    }

    private StateSink openStore(ServiceConfig.Store s, KnownSignatures names) {
        if (s.parse()) {
            parseClient = ParseClient.builder().serverUrl(s.parseUrl()).applicationId(s.parseAppId())
                    .masterKey(Secret.of(s.parseMasterKey())).build();
            return ParseStateSink.builder(parseClient).signatures(names).build();
        }
        return JdbcStateSink.open(s.jdbcUrl(), s.jdbcUser(), s.jdbcPassword(), names);
    }

    /** Every network's follower status, in configuration order. */
    public Map<String, FollowStatus> statuses() {
        Map<String, FollowStatus> out = new LinkedHashMap<>();
        followers.forEach((n, f) -> out.put(n, f.status()));
        return out;
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
                for (Web3jChainSource.RpcTries t : chain.rpcTries()) {
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
                && t.outcome().equals(outcome)).mapToLong(Web3jChainSource.RpcTries::count).sum();
    }

    /** Stops every follower (each at a range boundary, its listener drained), then closes everything. */
    public boolean stop(Duration timeout) throws InterruptedException {
        boolean clean = true;
        List<Thread> stoppers = new ArrayList<>();
        for (Follower f : followers.values()) {
            Thread t = new Thread(() -> {
                try {
                    f.stop(timeout);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            t.join(timeout.toMillis() + 1_000);
            clean &= !t.isAlive();
        }
        close();
        return clean;
    }

    @Override
    public void close() {
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
