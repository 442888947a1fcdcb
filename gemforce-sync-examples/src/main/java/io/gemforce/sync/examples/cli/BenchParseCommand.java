package io.gemforce.sync.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.event.DiamondEvent;
import io.gemforce.sync.event.LogPosition;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.parse.ObjectIds;
import io.gemforce.sync.parse.ParseClient;
import io.gemforce.sync.parse.ParseSchema;
import io.gemforce.sync.parse.ParseStateSink;
import io.gemforce.sync.sink.ApplyResult;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.StoredEvent;
import io.gemforce.sync.testbed.LocalParseServer;
import io.gemforce.sync.testbed.LocalPostgres;
import io.gemforce.sync.testbed.RepoRoot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The Parse sink's write rate against Parse Server's own, measured in one run on a private
 * PostgreSQL + Parse Server: (a) N DiamondEvent objects created with raw transactional
 * {@code POST /parse/batch} calls of B creates each (deterministic objectIds, the sink's fields, into
 * a class of their own with the same fields and indexes); (b) the same N events, as the syncer would
 * hand them over (DiamondCut arguments with a facet cut and its selectors), written by
 * {@link ParseStateSink#apply} in change sets of B events plus their checkpoint; (c) the same change
 * sets applied again as a re-sync of those ranges sends them (see {@link #replay}), the idempotent
 * replay, which must write nothing. Every path is warmed up first
 * on other objects that are then purged. Times are wall-clock ({@link System#nanoTime()}).
 */
@Command(name = "bench-parse", description = "Measure ParseStateSink writes against raw transactional /batch creates"
        + " on a local Parse Server on PostgreSQL (both started and stopped by the command).")
final class BenchParseCommand implements Callable<Integer> {
    static final String RAW_CLASS = "BenchDiamondEvent";
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

    @Option(names = "--events", defaultValue = "10000", description = "events (objects) per variant (default: ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--batch", defaultValue = "1000",
            description = "objects per /batch request and events per change set, at most 5000 (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--warmup", defaultValue = "500", description = "objects written (then purged) before each"
            + " measured variant, not counted (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--log-dir", description = "folder for the PostgreSQL and Parse Server logs (default: a temporary"
            + " folder, deleted after a successful run)")
    Path logDir;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final ObjectMapper mapper = new ObjectMapper();
    private final Network network = Networks.defaults().resolve("31337");
    private final Address diamond = Address.of("0x" + "d1a".repeat(13) + "d");

    /** One measured variant. */
    record Result(String name, long objects, double seconds, long batchRequests, long readRequests, String note) {
        double rate() {
            return objects / seconds;
        }

        long requests() {
            return batchRequests + readRequests;
        }
    }

    /** Counts the HTTP requests a client sends: {@code /batch} and everything else. */
    static final class RequestCounter implements Interceptor {
        final AtomicLong batches = new AtomicLong();
        final AtomicLong others = new AtomicLong();

        @Override
        public Response intercept(Chain chain) throws IOException {
            if (chain.request().url().encodedPath().endsWith("/batch")) {
                batches.incrementAndGet();
            } else {
                others.incrementAndGet();
            }
            return chain.proceed(chain.request());
        }

        void reset() {
            batches.set(0);
            others.set(0);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (events < 1 || batch < 1 || batch > 5000 || warmup < 0) {
            throw new IllegalArgumentException("--events must be positive, --batch between 1 and 5000, --warmup not negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean ownLogDir = logDir == null;
        Path logs = ownLogDir ? Files.createTempDirectory("gemforce-bench-parse-") : Files.createDirectories(logDir);
        boolean ok = false;
        try {
            int code = run(out, err, logs);
            ok = code == GemforceSyncCli.OK;
            return code;
        } finally {
            if (ok && ownLogDir) {
                deleteTree(logs);
            } else {
                log(err, "server logs: " + logs);
            }
        }
    }

    private int run(PrintWriter out, PrintWriter err, Path logs) throws IOException {
        List<StoredEvent> measured = events(events, 1);
        List<StoredEvent> warm = events(warmup, 2);
        List<ChangeSet> measuredSets = changeSets(measured);
        List<ChangeSet> warmSets = changeSets(warm);
        log(err, "starting PostgreSQL and Parse Server (logs in " + logs + ")...");
        long t0 = System.nanoTime();
        try (LocalPostgres pg = LocalPostgres.builder().logDir(logs).start();
                LocalParseServer parse = LocalParseServer.builder(pg).appId("gemforce-bench").logDir(logs).start()) {
            log(err, String.format("started in %.1f s: %s", (System.nanoTime() - t0) / 1e9, parse.serverUrl()));
            RequestCounter sinkRequests = new RequestCounter();
            RequestCounter rawRequests = new RequestCounter();
            char[] key = parse.masterKey();
            ParseClient client;
            OkHttpClient raw;
            String rawKey;
            try {
                client = ParseClient.builder().serverUrl(parse.serverUrl()).applicationId(parse.appId()).masterKey(key)
                        .readTimeout(Duration.ofMinutes(5)).addInterceptor(sinkRequests).build();
                rawKey = new String(key);
            } finally {
                Arrays.fill(key, '\0');
            }
            raw = new OkHttpClient.Builder().readTimeout(Duration.ofMinutes(5)).addInterceptor(rawRequests).build();
            try (ParseClient c = client) {
                ParseStateSink sink = ParseStateSink.builder(c).build();
                createRawClass(c);
                RawWriter writer = new RawWriter(raw, parse, rawKey);

                // (a) raw transactional /batch creates
                log(err, "(a) warm-up: " + warm.size() + " raw creates");
                writer.write(warm);
                c.purge(RAW_CLASS);
                settle();
                rawRequests.reset();
                long start = System.nanoTime();
                writer.write(measured);
                double seconds = (System.nanoTime() - start) / 1e9;
                long stored = count(c, RAW_CLASS);
                Result a = new Result("(a) raw POST /batch (transaction)", measured.size(), seconds,
                        rawRequests.batches.get(), rawRequests.others.get(), stored + " created");
                log(err, a.name() + ": " + String.format("%.2f s", seconds));
                if (stored != measured.size()) {
                    err.println("error: " + RAW_CLASS + " holds " + stored + " objects, expected " + measured.size());
                    return GemforceSyncCli.FAILURE;
                }

                // (b) ParseStateSink.apply, and (c) the same change sets again
                log(err, "(b) warm-up: " + warm.size() + " events through the sink, then replayed");
                apply(sink, warmSets);
                apply(sink, replay(warmSets));
                for (ParseSchema.ClassDef d : ParseSchema.classes()) {
                    c.purge(d.className());
                }
                settle();
                sinkRequests.reset();
                start = System.nanoTime();
                long inserted = apply(sink, measuredSets);
                seconds = (System.nanoTime() - start) / 1e9;
                long batches = sinkRequests.batches.get();
                long reads = sinkRequests.others.get();
                stored = count(c, ParseSchema.DIAMOND_EVENT);
                Result b = new Result("(b) ParseStateSink.apply", measured.size(), seconds, batches, reads,
                        inserted + " inserted, " + measuredSets.size() + " checkpoint writes");
                log(err, b.name() + ": " + String.format("%.2f s", seconds));
                if (inserted != measured.size() || stored != measured.size()) {
                    err.println("error: the sink inserted " + inserted + " events and DiamondEvent holds " + stored
                            + ", expected " + measured.size());
                    return GemforceSyncCli.FAILURE;
                }

                List<ChangeSet> replaySets = replay(measuredSets);
                sinkRequests.reset();
                start = System.nanoTime();
                long again = apply(sink, replaySets);
                seconds = (System.nanoTime() - start) / 1e9;
                batches = sinkRequests.batches.get();
                reads = sinkRequests.others.get();
                stored = count(c, ParseSchema.DIAMOND_EVENT);
                Result r = new Result("(c) ParseStateSink.apply, replay", measured.size(), seconds, batches, reads,
                        again + " inserted, nothing written");
                log(err, r.name() + ": " + String.format("%.2f s", seconds));
                if (again != 0 || r.batchRequests() != 0 || stored != measured.size()) {
                    err.println("error: the replay inserted " + again + " events in " + r.batchRequests()
                            + " batches; DiamondEvent holds " + stored);
                    return GemforceSyncCli.FAILURE;
                }
                print(out, List.of(a, b, r), pg);
                return GemforceSyncCli.OK;
            } finally {
                raw.dispatcher().executorService().shutdown();
                raw.connectionPool().evictAll();
            }
        }
    }

    /** The exact number of this run's objects in a class (an empty {@code where} gives PostgreSQL's estimate). */
    private long count(ParseClient c, String className) {
        return c.count(className, mapper.createObjectNode().put("chainId", network.chainId()));
    }

    private static long apply(ParseStateSink sink, List<ChangeSet> sets) {
        long inserted = 0;
        for (ChangeSet cs : sets) {
            ApplyResult res = sink.apply(cs);
            inserted += res.eventsInserted();
        }
        return inserted;
    }

    /** Lets PostgreSQL and the JVM settle between variants (a collection now, not in the measurement). */
    private static void settle() {
        System.gc();
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // -------------------------------------------------------------------------------------- data

    /**
     * {@code count} DiamondCut events of one diamond, as the syncer stores them: one event per
     * transaction, four transactions per block, each cut adding or replacing a facet with 2 to 5
     * selectors. {@code seed} keeps different sets apart (different transactions and blocks).
     */
    List<StoredEvent> events(int count, int seed) {
        List<StoredEvent> out = new ArrayList<>(count);
        long firstBlock = seed * 10_000_000L;
        for (int i = 0; i < count; i++) {
            long block = firstBlock + i / 4;
            LogPosition pos = new LogPosition(block, hash("block", seed, block), hash("tx", seed, i), i % 4);
            Address facet = Address.of("0x" + hash("facet", seed, i % 64).substring(2, 42));
            List<Selector> selectors = new ArrayList<>();
            for (int s = 0; s < 2 + i % 4; s++) {
                selectors.add(Selector.of("0x" + hash("selector", seed, i * 8L + s).substring(2, 10)));
            }
            FacetCut cut = i % 3 == 2 ? FacetCut.replace(facet, selectors) : FacetCut.add(facet, selectors);
            DiamondEvent.DiamondCut e = new DiamondEvent.DiamondCut(diamond, pos, List.of(cut), Address.ZERO, "0x");
            out.add(StoredEvent.of(network.name(), network.chainId(), e));
        }
        return out;
    }

    /**
     * The change sets a re-sync of the same ranges produces once the checkpoint is past them: the same
     * events and diamonds, without the checkpoints, which the syncer writes only when a range ends
     * above the stored one. (Applied verbatim, each older checkpoint would replace the newer stored
     * one: a rewind, one write per set, which is the {@link ChangeSet} contract, not a replay.)
     */
    static List<ChangeSet> replay(List<ChangeSet> sets) {
        List<ChangeSet> out = new ArrayList<>(sets.size());
        for (ChangeSet cs : sets) {
            out.add(new ChangeSet(cs.network(), cs.chainId(), cs.events(), cs.diamonds(), List.of()));
        }
        return out;
    }

    /** Change sets of {@code batch} events each, with the checkpoint that a syncEvents range writes. */
    List<ChangeSet> changeSets(List<StoredEvent> all) {
        List<ChangeSet> sets = new ArrayList<>();
        String scope = Checkpoint.eventsScope(diamond, "DiamondCut");
        for (int i = 0; i < all.size(); i += batch) {
            List<StoredEvent> chunk = all.subList(i, Math.min(all.size(), i + batch));
            StoredEvent last = chunk.get(chunk.size() - 1);
            Checkpoint cp = new Checkpoint(scope, last.blockNumber(), last.blockHash(), List.of());
            sets.add(new ChangeSet(network.name(), network.chainId(), chunk, List.of(), List.of(cp)));
        }
        return sets;
    }

    private static String hash(String kind, int seed, long n) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] d = md.digest((kind + ":" + seed + ":" + n).getBytes(StandardCharsets.UTF_8));
            return "0x" + HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // --------------------------------------------------------------------------------- raw writes

    /** The raw baseline's class: the sink's DiamondEvent fields, indexes and permissions under another name. */
    private static void createRawClass(ParseClient c) {
        ParseSchema.ClassDef def = ParseSchema.classDef(ParseSchema.DIAMOND_EVENT).orElseThrow();
        ObjectNode body = c.mapper().createObjectNode();
        ObjectNode f = body.putObject("fields");
        def.fields().forEach(f::set);
        ObjectNode ix = body.putObject("indexes");
        def.indexes().forEach(ix::set);
        body.set("classLevelPermissions", ParseSchema.permissions());
        c.createSchema(RAW_CLASS, body);
    }

    /** Plain transactional {@code POST /parse/batch} requests of {@code batch} creates, one after another. */
    private final class RawWriter {
        private final OkHttpClient http;
        private final String url;
        private final String appId;
        private final String masterKey;
        private final String path;

        RawWriter(OkHttpClient http, LocalParseServer parse, String masterKey) {
            this.http = http;
            this.url = parse.serverUrl() + "/batch";
            this.appId = parse.appId();
            this.masterKey = masterKey;
            this.path = LocalParseServer.MOUNT_PATH + "/classes/" + RAW_CLASS;
        }

        void write(List<StoredEvent> all) throws IOException {
            for (int i = 0; i < all.size(); i += batch) {
                List<StoredEvent> chunk = all.subList(i, Math.min(all.size(), i + batch));
                ObjectNode body = mapper.createObjectNode();
                ArrayNode requests = body.putArray("requests");
                for (StoredEvent e : chunk) {
                    ObjectNode r = requests.addObject();
                    r.put("method", "POST");
                    r.put("path", path);
                    ObjectNode o = r.putObject("body");
                    o.put("objectId", ObjectIds.event(e.chainId(), e.uid()));
                    o.put("uid", e.uid());
                    o.put("network", e.network());
                    o.put("chainId", e.chainId());
                    o.put("diamondAddress", e.diamondAddress().hex());
                    o.put("emitter", e.emitter().hex());
                    o.put("eventType", e.eventType().eventName());
                    o.put("blockNumber", e.blockNumber());
                    o.put("blockHash", e.blockHash());
                    o.put("transactionHash", e.transactionHash());
                    o.put("logIndex", e.logIndex());
                    o.set("args", mapper.valueToTree(e.args()));
                }
                body.put("transaction", true);
                Request req = new Request.Builder().url(url).header("X-Parse-Application-Id", appId)
                        .header("X-Parse-Master-Key", masterKey)
                        .post(RequestBody.create(mapper.writeValueAsBytes(body), JSON_TYPE)).build();
                try (Response resp = http.newCall(req).execute()) {
                    String text = resp.body() == null ? "" : resp.body().string();
                    if (!resp.isSuccessful()) {
                        throw new IllegalStateException("POST /batch answered HTTP " + resp.code() + ": "
                                + text.substring(0, Math.min(500, text.length())));
                    }
                    JsonNode answer = mapper.readTree(text);
                    if (answer.size() != chunk.size()) {
                        throw new IllegalStateException("POST /batch answered " + answer.size() + " results for "
                                + chunk.size() + " creates");
                    }
                    for (JsonNode n : answer) {
                        if (!n.has("success")) {
                            throw new IllegalStateException("POST /batch: a create failed: " + n.path("error"));
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------ output

    private void print(PrintWriter out, List<Result> results, LocalPostgres pg) {
        Result base = results.get(0);
        out.printf("%nbench-parse: %d DiamondCut events per variant, batch size %d, Parse Server %s on PostgreSQL %s"
                + " (fsync=off), %d cores%n", events, batch, parseVersion(), pg.binDir().getParent().getFileName(),
                Runtime.getRuntime().availableProcessors());
        out.printf("%-36s %8s %8s %10s %6s %15s  %s%n", "variant", "objects", "seconds", "objects/s", "ratio",
                "HTTP requests", "note");
        for (Result r : results) {
            out.printf("%-36s %8d %8.2f %10.0f %6.2f %15s  %s%n", r.name(), r.objects(), r.seconds(), r.rate(),
                    r.rate() / base.rate(), r.requests() + " (" + r.batchRequests() + " batch)", r.note());
        }
        out.println("ratio: objects/s against (a); HTTP requests: all requests of the variant, of which /batch");
        out.flush();
    }

    private static String parseVersion() {
        try {
            Path pkg = RepoRoot.find().resolve("node_modules/parse-server/package.json");
            return new ObjectMapper().readTree(pkg.toFile()).path("version").asText("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static void log(PrintWriter err, String s) {
        err.println(s);
        err.flush();
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
