package io.gemforce.sync.examples.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gemforce.sync.follow.FollowStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * {@code GET /health}: JSON per network (state, role, head, synced block, lag in blocks and seconds,
 * last error), HTTP 503 when a network is stuck: failed, or behind with its synced block unmoved
 * for {@code stuckAfter}. {@code GET /metrics}: Prometheus text (Micrometer).
 */
final class HealthServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ServiceRunner runner;
    private final Duration stuckAfter;
    /** Per network: the synced block last seen and since when it has not moved. */
    private final Map<String, long[]> progress = new ConcurrentHashMap<>();

    private HealthServer(HttpServer server, ServiceRunner runner, Duration stuckAfter) {
        this.server = server;
        this.runner = runner;
        this.stuckAfter = stuckAfter;
    }

    static HealthServer start(ServiceConfig.Health cfg, ServiceRunner runner) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(cfg.bind(), cfg.port()), 16);
            HealthServer h = new HealthServer(s, runner, cfg.stuckAfter());
            s.createContext("/health", h::health);
            s.createContext("/metrics", h::metrics);
            s.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "gemforce-health");
                t.setDaemon(true);
                return t;
            }));
            s.start();
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + cfg.bind() + ":" + cfg.port(), e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void health(HttpExchange ex) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode nets = body.putArray("networks");
        boolean healthy = true;
        long now = System.currentTimeMillis();
        for (ServiceRunner.NetworkView v : runner.statuses().values()) {
            ObjectNode n = nets.addObject();
            n.put("network", v.network()).put("role", v.leader() ? "leader" : "standby");
            FollowStatus s = v.status();
            if (s == null) {
                n.put("state", "standby");
                progress.remove(v.network());
                continue;
            }
            long[] p = progress.computeIfAbsent(v.network(), k -> new long[] {s.syncedBlock(), now});
            if (p[0] != s.syncedBlock()) {
                p[0] = s.syncedBlock();
                p[1] = now;
            }
            boolean stuck = s.state() == FollowStatus.State.FAILED
                    || (!s.caughtUp() && now - p[1] > stuckAfter.toMillis());
            healthy &= !stuck;
            n.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT)).put("head", s.head())
                    .put("syncedBlock", s.syncedBlock()).put("lagBlocks", s.lagBlocks());
            if (s.syncedBlockTime() != null) {
                n.put("lagSeconds", Math.max(0, Duration.between(s.syncedBlockTime(), Instant.now()).toSeconds()));
            } else {
                n.putNull("lagSeconds");
            }
            n.put("stuck", stuck).put("lastError", s.lastError()).put("queued", s.queued());
        }
        body.put("status", healthy ? "ok" : "stuck");
        send(ex, healthy ? 200 : 503, "application/json", JSON.writeValueAsBytes(body));
    }

    private void metrics(HttpExchange ex) throws IOException {
        send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", runner.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
