package io.gemforce.sync.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.parse.cloud.CloudFunctions;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.GemforceContracts;
import io.gemforce.sync.testkit.ForwardingChainSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End to end: a Parse client calls {@code POST /parse/functions/<name>}; Parse Server forwards to the
 * webhook endpoint; the endpoint syncs from Anvil into Parse; the client gets the seed's shape.
 */
@ExtendWith(ParseServerExtension.class)
class CloudFunctionsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static ParseTestServer server;
    private static ParseClient client;
    private static Anvil anvil;
    private static GemforceContracts g;
    private static Web3jChainSource chain;
    private static Networks networks;
    private static CloudFunctions endpoint;
    private static final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(120)).build();
    private static Address d1;

    @BeforeAll
    static void start(ParseTestServer s) throws IOException {
        server = s;
        client = s.newClient();
        anvil = Anvil.start();
        g = new GemforceContracts(anvil).deployAll();
        d1 = g.createDiamond(Anvil.DEPLOYER, "CF1", "Cloud one");
        g.createDiamond(Anvil.DEPLOYER, "CF2", "Cloud two");
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        g.diamondCut(Anvil.DEPLOYER, d1, List.of(FacetCut.add(g.facetA, List.of(a.get("a01()"), a.get("a02()")))));
        g.propose(Anvil.DEPLOYER, d1, List.of(FacetCut.add(g.facetA, List.of(a.get("a03()")))));
        anvil.mine(3);
        chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).build();
        Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
        networks = Networks.defaults().toBuilder().add(local).build();
        endpoint = endpoint(syncer(chain), 100, Duration.ofSeconds(20)).start();
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        chain.close();
        anvil.close();
        client.close();
    }

    @BeforeEach
    void empty() {
        server.purgeSinkClasses();
        endpoint.registerHooks();
        for (String f : List.of("syncAllDiamonds", "syncDiamondByAddress", "syncDiamondEvents")) {
            assertThat(client.hookFunction(f).orElseThrow().path("url").asText()).startsWith(endpoint.baseUrl());
        }
    }

    static DiamondSyncer syncer(ChainSource source) {
        return DiamondSyncer.builder().chainSource(source).sink(ParseStateSink.builder(client).build()).networks(networks)
                .build();
    }

    static CloudFunctions endpoint(DiamondSyncer syncer, int perMinute, Duration budget) {
        return CloudFunctions.builder().syncer(syncer).client(client).webhookKey(server.webhookKey())
                .allowRoles(List.of("syncers")).callsPerMinute(perMinute).syncBudget(budget).build();
    }

    /** A Parse client's call: {@code POST /parse/functions/<name>}. */
    static JsonNode callFunction(String name, String params, Map<String, String> headers) throws IOException {
        Request.Builder b = new Request.Builder().url(server.serverUrl() + "/functions/" + name)
                .post(RequestBody.create(params, JSON_TYPE)).header("X-Parse-Application-Id", server.appId());
        headers.forEach(b::header);
        try (Response r = http.newCall(b.build()).execute()) {
            return JSON.readTree(r.body().string());
        }
    }

    static JsonNode asMaster(String name, String params) throws IOException {
        return callFunction(name, params, Map.of("X-Parse-Master-Key", server.masterKey().reveal()));
    }

    static long count(String cls) {
        return client.count(cls, JsonNodeFactory.instance.objectNode().put("chainId", 31337));
    }

    @Test
    void theThreeFunctionsAnswerInTheSeedsShape() throws IOException {
        JsonNode all = asMaster("syncAllDiamonds", "{\"network\":\"localhost\",\"reindexAll\":false}");
        JsonNode result = all.get("result");
        assertThat(result).as(all.toString()).isNotNull();
        assertThat(iterable(result.fieldNames())).containsExactly("diamondsSynced", "facetsUpdated", "eventsIndexed",
                "lastSyncedBlock", "status", "errors");
        assertThat(result.get("diamondsSynced").asInt()).isEqualTo(2);
        assertThat(result.get("status").asText()).isEqualTo("success");
        assertThat(result.get("lastSyncedBlock").asLong()).isEqualTo(anvil.blockNumber());
        assertThat(count(ParseSchema.DIAMOND)).isEqualTo(2);

        server.purgeSinkClasses();
        JsonNode one = asMaster("syncDiamondByAddress", "{\"diamondAddress\":\"" + d1.checksummed()
                + "\",\"network\":\"anvil\"}");
        assertThat(one.path("result").path("diamondsSynced").asInt()).as(one.toString()).isEqualTo(1);
        assertThat(count(ParseSchema.DIAMOND)).isEqualTo(1);

        server.purgeSinkClasses();
        String eventParams = "{\"diamondAddress\":\"" + d1.hex()
                + "\",\"network\":\"31337\",\"eventType\":\"DiamondCut\",\"fromBlock\":\"0\"";
        JsonNode events = asMaster("syncDiamondEvents", eventParams + "}");
        // the seed: "Returns: eventsIndexed (Number)"
        assertThat(events.get("result")).as(events.toString()).isNotNull();
        assertThat(events.get("result").isNumber()).as(events.toString()).isTrue();
        assertThat(events.get("result").asLong()).isEqualTo(2);
        assertThat(count(ParseSchema.DIAMOND_EVENT)).isEqualTo(2);

        server.purgeSinkClasses();
        JsonNode summary = asMaster("syncDiamondEvents", eventParams + ",\"summary\":true}");
        JsonNode object = summary.get("result");
        assertThat(object).as(summary.toString()).isNotNull();
        assertThat(object.isObject()).isTrue();
        assertThat(iterable(object.fieldNames())).containsExactly("eventsIndexed", "lastSyncedBlock", "status", "errors");
        assertThat(object.get("eventsIndexed").asLong()).isEqualTo(2);
        assertThat(object.get("status").asText()).isEqualTo("success");
        assertThat(object.get("lastSyncedBlock").asLong()).isEqualTo(anvil.blockNumber());
        assertThat(count(ParseSchema.DIAMOND_EVENT)).isEqualTo(2);
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void withoutTheMasterKeyOrARoleTheCallIsRefused() throws IOException {
        JsonNode anonymous = callFunction("syncAllDiamonds", "{\"network\":\"localhost\"}", Map.of());
        assertThat(anonymous.path("code").asInt()).isEqualTo(141);
        assertThat(anonymous.path("error").asText()).doesNotContain("ECONNREFUSED");
        assertThat(anonymous.path("error").asText()).contains("permission denied");

        String outsider = signUp("outsider");
        JsonNode refused = callFunction("syncAllDiamonds", "{\"network\":\"localhost\"}",
                Map.of("X-Parse-Session-Token", outsider));
        assertThat(refused.path("error").asText()).contains("permission denied");
        assertThat(count(ParseSchema.DIAMOND)).isZero();

        String member = signUp("member");
        addToRole("syncers", member);
        JsonNode allowed = callFunction("syncAllDiamonds", "{\"network\":\"localhost\"}", Map.of("X-Parse-Session-Token", member));
        assertThat(allowed.path("result").path("status").asText()).as(allowed.toString()).isEqualTo("success");
    }

    private static final java.util.Map<String, String> userIds = new java.util.HashMap<>();

    private static String signUp(String name) throws IOException {
        String username = name + "-" + System.nanoTime();
        Request r = new Request.Builder().url(server.serverUrl() + "/users")
                .post(RequestBody.create("{\"username\":\"" + username + "\",\"password\":\"pw-" + username + "\"}", JSON_TYPE))
                .header("X-Parse-Application-Id", server.appId()).header("X-Parse-Revocable-Session", "1").build();
        try (Response resp = http.newCall(r).execute()) {
            JsonNode n = JSON.readTree(resp.body().string());
            userIds.put(n.get("sessionToken").asText(), n.get("objectId").asText());
            return n.get("sessionToken").asText();
        }
    }

    private static void addToRole(String role, String sessionToken) {
        String userId = userIds.get(sessionToken);
        ObjectNode pointer = JsonNodeFactory.instance.objectNode().put("__type", "Pointer").put("className", "_User")
                .put("objectId", userId);
        ObjectNode users = JsonNodeFactory.instance.objectNode().put("__op", "AddRelation");
        users.putArray("objects").add(pointer);
        ObjectNode where = JsonNodeFactory.instance.objectNode().put("name", role);
        List<ObjectNode> existing = client.findAll("_Role", where, 10);
        if (existing.isEmpty()) {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("name", role);
            body.putObject("ACL").putObject("*").put("read", true);
            body.set("users", users);
            client.create("_Role", body);
        } else {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.set("users", users);
            client.update("_Role", existing.get(0).get("objectId").asText(), body);
        }
    }

    @Test
    void aDirectCallWithAWrongWebhookKeyIsRefused() throws IOException {
        String body = "{\"params\":{\"network\":\"localhost\"},\"master\":true,\"functionName\":\"syncAllDiamonds\"}";
        for (String key : new String[] {"wrong", "", new String(server.webhookKey()) + "x"}) {
            Request.Builder b = new Request.Builder().url(endpoint.baseUrl() + "/functions/syncAllDiamonds")
                    .post(RequestBody.create(body, JSON_TYPE));
            if (!key.isEmpty()) {
                b.header("X-Parse-Webhook-Key", key);
            }
            try (Response r = http.newCall(b.build()).execute()) {
                assertThat(r.code()).isEqualTo(401);
                assertThat(r.body().string()).contains("invalid webhook key");
            }
        }
        assertThat(count(ParseSchema.DIAMOND)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"network\":\"polygon\"}",
        "{\"network\":\"localhost\",\"fromBlock\":-1}",
        "{\"network\":\"localhost\",\"fromBlock\":\"abc\"}",
        "{\"network\":\"localhost\",\"fromBlock\":1.5}",
        "{\"network\":\"localhost\",\"toBlock\":\"99999999999999999999999\"}",
        "{\"network\":\"localhost\",\"fromBlock\":9,\"toBlock\":3}",
        "{\"network\":\"localhost\",\"toBlock\":999999999}",
        "{\"network\":\"localhost\",\"reindexAll\":\"yes\"}",
        "{\"network\":\"localhost\",\"extra\":1}",
        "{\"network\":42}",
    })
    void invalidParametersAnswerAnErrorAndWriteNothing(String params) throws IOException {
        JsonNode r = asMaster("syncAllDiamonds", params);
        assertThat(r.path("code").asInt()).as(r.toString()).isEqualTo(141);
        assertThat(r.path("error").asText()).isNotBlank();
        assertThat(count(ParseSchema.DIAMOND) + count(ParseSchema.DIAMOND_EVENT) + count(ParseSchema.SYNC_STATE)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"network\":\"localhost\"}",
        "{\"network\":\"localhost\",\"diamondAddress\":\"0x1234\"}",
        "{\"network\":\"localhost\",\"diamondAddress\":\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD\"}",
        "{\"network\":\"localhost\",\"diamondAddress\":\"0x0000000000000000000000000000000000000001\"}",
        "{\"network\":\"localhost\",\"diamondAddress\":\"DIAMOND\",\"eventType\":\"Transfer\"}",
        "{\"network\":\"localhost\",\"diamondAddress\":\"DIAMOND\",\"toBlock\":5}",
    })
    void invalidEventParametersAnswerAnErrorAndWriteNothing(String params) throws IOException {
        JsonNode r = asMaster("syncDiamondEvents", params.replace("DIAMOND", d1.hex()));
        assertThat(r.path("code").asInt()).as(r.toString()).isEqualTo(141);
        assertThat(count(ParseSchema.DIAMOND_EVENT) + count(ParseSchema.SYNC_STATE)).isZero();
    }

    @Test
    void anAsyncJobCompletesAndItsSyncJobHoldsTheSummary() throws Exception {
        JsonNode r = asMaster("syncAllDiamonds", "{\"network\":\"localhost\",\"async\":true}");
        String jobId = r.path("result").path("jobId").asText();
        assertThat(jobId).as(r.toString()).isNotBlank();
        assertThat(r.path("result").path("status").asText()).isEqualTo("running");
        // the job is readable by id without the master key
        JsonNode job = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Request get = new Request.Builder().url(server.serverUrl() + "/classes/SyncJob/" + jobId)
                    .header("X-Parse-Application-Id", server.appId()).build();
            try (Response resp = http.newCall(get).execute()) {
                job = JSON.readTree(resp.body().string());
            }
            if (!job.path("status").asText().equals("running")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("success");
        assertThat(job.path("summary").path("diamondsSynced").asInt()).isEqualTo(2);
        assertThat(job.path("function").asText()).isEqualTo("syncAllDiamonds");
        assertThat(job.path("requestedBy").asText()).isEqualTo("master");
        assertThat(job.has("finishedAt")).isTrue();
        assertThat(count(ParseSchema.DIAMOND)).isEqualTo(2);
        // listing jobs needs the master key
        Request list = new Request.Builder().url(server.serverUrl() + "/classes/SyncJob")
                .header("X-Parse-Application-Id", server.appId()).build();
        try (Response resp = http.newCall(list).execute()) {
            assertThat(JSON.readTree(resp.body().string()).path("code").asInt()).isEqualTo(119);
        }
    }

    @Test
    void aSynchronousCallRunsOutOfItsBudgetAndSaysWhereToContinue() throws Exception {
        anvil.mine(1500);
        DiamondSyncer slow = DiamondSyncer.builder().chainSource(chain).sink(ParseStateSink.builder(client).build())
                .networks(networks).blockRange(5, 1, 5).build();
        try (CloudFunctions tight = endpoint(slow, 100, Duration.ofSeconds(1)).start()) {
            JsonNode r = asMaster("syncAllDiamonds", "{\"network\":\"localhost\"}");
            JsonNode result = r.path("result");
            assertThat(result.path("status").asText()).as(r.toString()).isEqualTo("partial");
            long last = result.path("lastSyncedBlock").asLong();
            assertThat(last).isLessThan(anvil.blockNumber());
            // calling again continues where the checkpoint says (a loaded machine may need a few calls)
            long now = last;
            for (int i = 0; i < 10 && now <= last; i++) {
                now = asMaster("syncAllDiamonds", "{\"network\":\"localhost\",\"fromBlock\":" + (last + 1) + "}")
                        .path("result").path("lastSyncedBlock").asLong();
            }
            assertThat(now).isGreaterThan(last);
        } finally {
            endpoint.registerHooks(); // the hooks point at the main endpoint again
        }
    }

    @Test
    void aPerCallerRateLimit() throws IOException {
        try (CloudFunctions limited = endpoint(syncer(chain), 2, Duration.ofSeconds(20)).start()) {
            assertThat(asMaster("syncAllDiamonds", "{\"network\":\"localhost\"}").has("result")).isTrue();
            assertThat(asMaster("syncAllDiamonds", "{\"network\":\"localhost\"}").has("result")).isTrue();
            JsonNode third = asMaster("syncAllDiamonds", "{\"network\":\"localhost\"}");
            assertThat(third.path("error").asText()).contains("rate limit");
        } finally {
            endpoint.registerHooks();
        }
    }

    @Test
    void twoInstancesRefuseASecondConcurrentReindexAllOfOneNetwork() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ChainSource blocking = new Blocking(chain, inside, release);
        try (CloudFunctions first = endpoint(syncer(blocking), 100, Duration.ofSeconds(20)).start();
                CloudFunctions second = endpoint(syncer(chain), 100, Duration.ofSeconds(20)).start()) {
            // Parse now forwards to `second`; `first` is called as Parse would call it
            String body = "{\"params\":{\"network\":\"localhost\",\"reindexAll\":true,\"async\":true},\"master\":true}";
            Request direct = new Request.Builder().url(first.baseUrl() + "/functions/syncAllDiamonds")
                    .header("X-Parse-Webhook-Key", new String(server.webhookKey())).post(RequestBody.create(body, JSON_TYPE))
                    .build();
            try (Response r = http.newCall(direct).execute()) {
                assertThat(r.body().string()).contains("jobId");
            }
            assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue(); // the first reindexAll holds the lock
            JsonNode busy = asMaster("syncAllDiamonds", "{\"network\":\"localhost\",\"reindexAll\":true}");
            assertThat(busy.path("error").asText()).as(busy.toString()).contains("BUSY").contains("reindexAll");
            JsonNode otherwise = asMaster("syncAllDiamonds", "{\"network\":\"localhost\",\"toBlock\":1}");
            assertThat(otherwise.has("result")).as("other syncs are not refused").isTrue();
            release.countDown();
            // once the first finishes, a reindexAll is accepted again
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            JsonNode again = null;
            while (System.nanoTime() < deadline) {
                again = asMaster("syncAllDiamonds", "{\"network\":\"localhost\",\"reindexAll\":true}");
                if (again.has("result")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(again.path("result").path("status").asText()).as(String.valueOf(again)).isEqualTo("success");
        } finally {
            release.countDown();
            endpoint.registerHooks();
        }
    }

    @Test
    void secretsStayOutOfTheLogs() throws IOException {
        asMaster("syncAllDiamonds", "{\"network\":\"localhost\"}");
        asMaster("syncAllDiamonds", "{\"network\":\"nowhere\"}");
        assertThat(server.logsContainMasterKey()).isFalse();
        String clientLog = System.getProperty("org.slf4j.simpleLogger.logFile");
        if (clientLog != null && Files.exists(Path.of(clientLog))) {
            String log = Files.readString(Path.of(clientLog));
            assertThat(log).doesNotContain(new String(server.webhookKey())).doesNotContain(server.masterKey().reveal());
        }
    }

    /** A chain source whose first eth_getLogs waits until released. */
    private static final class Blocking extends ForwardingChainSource {
        private final CountDownLatch inside;
        private final CountDownLatch release;

        Blocking(ChainSource inner, CountDownLatch inside, CountDownLatch release) {
            super(inner);
            this.inside = inside;
            this.release = release;
        }

        @Override
        public List<RawLog> logs(LogQuery query) {
            inside.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inner.logs(query);
        }
    }
}
