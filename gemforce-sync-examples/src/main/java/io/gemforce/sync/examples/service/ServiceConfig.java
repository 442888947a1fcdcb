package io.gemforce.sync.examples.service;

import io.gemforce.sync.follow.FollowMode;
import io.gemforce.sync.network.Network;
import java.time.Duration;
import java.util.List;

/**
 * What {@code follow --config} and {@code serve --config} run: one store, many networks, health and
 * metrics, and the lease that lets several instances share the work. Read by {@link ConfigLoader};
 * secrets are already resolved from the environment here and must not be printed.
 */
public record ServiceConfig(Store store, List<NetworkSettings> networks, Health health, Lease lease) {

    /** The store: a JDBC URL, or a Parse Server. */
    public record Store(String jdbcUrl, String jdbcUser, String jdbcPassword, String parseUrl, String parseAppId,
            String parseMasterKey) {
        public boolean parse() {
            return parseUrl != null;
        }
    }

    /**
     * One network: the registry's network with the file's factories, diamonds, start block and
     * confirmations.
     *
     * @param addressedLogs name the contracts in every {@code eth_getLogs} (for providers that require it)
     */
    public record NetworkSettings(Network network, List<String> rpcUrls, String wsUrl, FollowMode mode,
            Duration pollInterval, double requestsPerSecond, int concurrency, boolean addressedLogs) {
    }

    /**
     * @param port the port of {@code /health} and {@code /metrics}, or 0 for none
     * @param stuckAfter a network whose synced block has not moved while behind for this long is
     *     reported stuck (HTTP 503)
     */
    public record Health(int port, String bind, Duration stuckAfter) {
    }

    /**
     * @param ttl how long a network's lease lasts without renewal (renewed every third of it)
     * @param holder this instance's name in the lease
     */
    public record Lease(Duration ttl, String holder) {
    }
}
