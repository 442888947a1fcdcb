package io.gemforce.sync.parse.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.InvalidInputException;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.parse.ParseClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the cloud functions {@code syncAllDiamonds}, {@code syncDiamondByAddress} and
 * {@code syncDiamondEvents} to Parse clients through Parse Server's function webhooks.
 *
 * <p>Parse Server forwards {@code POST /parse/functions/<name>} to this endpoint with the
 * {@code X-Parse-Webhook-Key} header; the answer {@code {"success": summary}} reaches the client as
 * {@code {"result": summary}}, the seed's documented shape. {@link #start()} registers the three
 * hooks (idempotently; an existing hook with another URL is moved here).
 *
 * <p>Security: the webhook key is compared in constant time and a wrong one is refused with HTTP
 * 401; only calls made with the master key, or by users in one of the configured roles, may sync;
 * the forwarded request headers (which can hold the caller's master key) are never read into logs;
 * each caller is rate-limited; {@code reindexAll} takes a per-network lock kept in Parse, so that
 * every instance of this endpoint sees it. Synchronous calls stop within a time budget below
 * Parse's request timeout and answer status {@code partial} with {@code lastSyncedBlock};
 * {@code "async": true} answers at once with a {@code SyncJob} id whose object shows progress and,
 * at the end, the summary or the error.
 *
 * <p>{@code syncDiamondEvents} answers {@code eventsIndexed}, a JSON number, as the seed documents it;
 * with {@code "summary": true} it answers {@code {"eventsIndexed", "lastSyncedBlock", "status", "errors"}}
 * (see {@link FunctionAnswer}).
 */
public final class CloudFunctions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CloudFunctions.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 256 * 1024;

    private final DiamondSyncer syncer;
    private final ParseClient client;
    private final byte[] webhookKey;
    private final InetSocketAddress bind;
    private final String publicUrl;
    private final Set<String> roles;
    private final CallerRateLimiter rateLimiter;
    private final Duration syncBudget;
    private final Clock clock;
    private final NetworkLock locks;
    private final SyncJobs jobs;
    private final ExecutorService async;
    private final Map<Long, ReentrantLock> networkRuns = new ConcurrentHashMap<>();
    private final String instanceId = UUID.randomUUID().toString();
    private HttpServer server;

    private CloudFunctions(Builder b) {
        this.syncer = Objects.requireNonNull(b.syncer, "syncer");
        this.client = Objects.requireNonNull(b.client, "client");
        this.webhookKey = Objects.requireNonNull(b.webhookKey, "webhookKey");
        this.bind = b.bind;
        this.publicUrl = b.publicUrl;
        this.roles = Set.copyOf(b.roles);
        this.rateLimiter = new CallerRateLimiter(b.callsPerMinute, b.clock);
        this.syncBudget = b.syncBudget;
        this.clock = b.clock;
        this.locks = new NetworkLock(client, clock, b.lockLease, instanceId);
        this.jobs = new SyncJobs(client, clock);
        this.async = Executors.newFixedThreadPool(b.asyncThreads, r -> {
            Thread t = new Thread(r, "gemforce-sync-job");
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the HTTP endpoint, creates the SyncJob and SyncLock classes if missing, and registers the hooks. */
    public synchronized CloudFunctions start() throws IOException {
        server = HttpServer.create(bind, 64);
        server.createContext("/functions/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "gemforce-sync-webhook");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        SyncJobs.ensureClasses(client);
        registerHooks();
        LOG.info("cloud functions listening on {}", baseUrl());
        return this;
    }

    /**
     * Points Parse Server's three function webhooks at this endpoint (idempotent; an existing hook
     * with another URL is moved here).
     */
    public void registerHooks() {
        for (String f : FunctionParams.FUNCTIONS) {
            if (client.registerHookFunction(f, baseUrl() + "/functions/" + f)) {
                LOG.info("registered the cloud function webhook {}", f);
            }
        }
    }

    /** The URL Parse Server calls (the configured public URL, else the bound address). */
    public String baseUrl() {
        if (publicUrl != null) {
            return publicUrl;
        }
        InetSocketAddress a = server.getAddress();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(1);
            ((ExecutorService) server.getExecutor()).shutdownNow();
            server = null;
        }
        async.shutdown();
        try {
            async.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- request handling ----

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String name = ex.getRequestURI().getPath().substring("/functions/".length());
            if (!"POST".equals(ex.getRequestMethod()) || !FunctionParams.FUNCTIONS.contains(name)) {
                respond(ex, 404, error("no such function"));
                return;
            }
            if (!keyMatches(ex.getRequestHeaders().getFirst("X-Parse-Webhook-Key"))) {
                respond(ex, 401, error("invalid webhook key"));
                return;
            }
            JsonNode body;
            try (InputStream in = ex.getRequestBody()) {
                byte[] bytes = in.readNBytes(MAX_BODY + 1);
                if (bytes.length > MAX_BODY) {
                    respond(ex, 413, error("request too large"));
                    return;
                }
                body = JSON.readTree(bytes);
            } catch (IOException e) {
                respond(ex, 400, error("the request body is not JSON"));
                return;
            }
            respond(ex, 200, call(name, body == null ? JsonNodeFactory.instance.objectNode() : body));
        }
    }

    private boolean keyMatches(String given) {
        byte[] g = given == null ? new byte[0] : given.getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(g, webhookKey);
    }

    /** One function call, from Parse's webhook body to the webhook answer. */
    ObjectNode call(String function, JsonNode body) {
        boolean master = body.path("master").asBoolean(false);
        String userId = body.path("user").path("objectId").asText("");
        String caller = master ? "master" : userId.isEmpty() ? "anonymous" : "user:" + userId;
        try {
            if (!master && (userId.isEmpty() || !inRole(userId))) {
                return error("permission denied: " + function + " needs the master key"
                        + (roles.isEmpty() ? "" : " or a user in role " + String.join(", ", new java.util.TreeSet<>(roles))));
            }
            if (!rateLimiter.tryAcquire(caller)) {
                return error("rate limit exceeded for this caller; try again later");
            }
            FunctionParams p = FunctionParams.parse(function, body.get("params"));
            Network net = syncer.networks().resolve(p.network());
            if (p.async()) {
                String jobId = jobs.create(function, p, caller);
                async.submit(() -> runJob(jobId, function, p, net));
                ObjectNode r = JSON.createObjectNode().put("jobId", jobId).put("status", "running");
                return FunctionAnswer.success(r);
            }
            return FunctionAnswer.webhook(function, p, run(function, p, net, syncer.withTimeBudget(syncBudget)));
        } catch (InvalidInputException e) {
            return error(e.getMessage());
        } catch (SyncException e) {
            return error(e.code().name() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} failed", function, e);
            return error("internal error: " + e.getClass().getSimpleName());
        }
    }

    private boolean inRole(String userId) {
        if (roles.isEmpty()) {
            return false;
        }
        ObjectNode where = JSON.createObjectNode();
        where.putObject("name").putArray("$in").addAll(roles.stream().map(JsonNodeFactory.instance::textNode).toList());
        where.putObject("users").put("__type", "Pointer").put("className", "_User").put("objectId", userId);
        return client.count("_Role", where) > 0;
    }

    private SyncSummary run(String function, FunctionParams p, Network net, DiamondSyncer s) {
        ReentrantLock perNetwork = networkRuns.computeIfAbsent(net.chainId(), k -> new ReentrantLock(true));
        Optional<NetworkLock.Held> reindex = Optional.empty();
        if (p.reindexAll()) {
            reindex = locks.tryAcquire("reindexAll:" + net.chainId());
            if (reindex.isEmpty()) {
                throw new SyncException(ErrorCode.BUSY, "a reindexAll of " + net.name()
                        + " is already running; try again when it has finished");
            }
        }
        try {
            boolean got = perNetwork.tryLock(syncBudget.toMillis(), TimeUnit.MILLISECONDS);
            if (!got) {
                throw new SyncException(ErrorCode.BUSY, "another sync of " + net.name() + " is running; try again");
            }
            try {
                return invoke(function, p, s);
            } finally {
                perNetwork.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException(ErrorCode.INTERRUPTED, "interrupted");
        } finally {
            reindex.ifPresent(NetworkLock.Held::release);
        }
    }

    private static SyncSummary invoke(String function, FunctionParams p, DiamondSyncer s) {
        return switch (function) {
            case FunctionParams.SYNC_ALL -> s.syncAll(p.network(), p.fromBlock(), p.toBlock(), p.reindexAll());
            case FunctionParams.SYNC_DIAMOND -> s.syncDiamond(p.diamondAddress(), p.network(), p.fromBlock());
            case FunctionParams.SYNC_EVENTS -> s.syncEvents(p.diamondAddress(), p.network(), p.eventType(), p.fromBlock());
            default -> throw new IllegalStateException(function);
        };
    }

    private void runJob(String jobId, String function, FunctionParams p, Network net) {
        try {
            DiamondSyncer s = syncer.withTimeBudget(null).withListener(jobs.progress(jobId));
            jobs.finish(jobId, FunctionAnswer.object(function, run(function, p, net, s)));
        } catch (SyncException e) {
            jobs.fail(jobId, e.code().name() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("job {} failed", jobId, e);
            jobs.fail(jobId, "internal error: " + e.getClass().getSimpleName());
        }
    }

    private static ObjectNode error(String message) {
        return FunctionAnswer.error(message);
    }

    private static void respond(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Configures {@link CloudFunctions}. */
    public static final class Builder {
        private DiamondSyncer syncer;
        private ParseClient client;
        private byte[] webhookKey;
        private InetSocketAddress bind = new InetSocketAddress("127.0.0.1", 0);
        private String publicUrl;
        private final Set<String> roles = new LinkedHashSet<>();
        private int callsPerMinute = 30;
        private Duration syncBudget = Duration.ofSeconds(20);
        private Duration lockLease = Duration.ofHours(2);
        private int asyncThreads = 2;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder syncer(DiamondSyncer syncer) {
            this.syncer = syncer;
            return this;
        }

        /** A client with the master key, for hook registration, role checks, locks and jobs. */
        public Builder client(ParseClient client) {
            this.client = client;
            return this;
        }

        /** Parse Server's {@code webhookKey}; the caller may wipe the array afterwards. */
        public Builder webhookKey(char[] key) {
            if (key == null || key.length == 0) {
                throw new IllegalArgumentException("a webhook key is required");
            }
            this.webhookKey = new String(key).getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** Where to listen (127.0.0.1, a free port). */
        public Builder bind(InetSocketAddress address) {
            this.bind = address;
            return this;
        }

        /** The URL Parse Server reaches this endpoint at, when it differs from the bound address. */
        public Builder publicUrl(String url) {
            this.publicUrl = url == null ? null : url.replaceAll("/+$", "");
            return this;
        }

        /** Roles whose users may call the functions without the master key. */
        public Builder allowRoles(List<String> names) {
            roles.addAll(names);
            return this;
        }

        /** Calls per minute per caller (30). */
        public Builder callsPerMinute(int n) {
            this.callsPerMinute = n;
            return this;
        }

        /** The time budget of a synchronous call (20 s: below Parse's request timeout). */
        public Builder syncBudget(Duration budget) {
            this.syncBudget = budget;
            return this;
        }

        /** How long a reindexAll lock lives if its holder dies (2 h). */
        public Builder lockLease(Duration lease) {
            this.lockLease = lease;
            return this;
        }

        public Builder asyncThreads(int n) {
            this.asyncThreads = n;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public CloudFunctions build() {
            return new CloudFunctions(this);
        }
    }
}
