package io.gemforce.sync.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.parse.cloud.CloudFunctions;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.GemforceContracts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs syncs, failures and cloud-function calls with a recognisable master key, webhook key and
 * RPC key, and checks that none of them appears in any log line, exception message, stack trace,
 * summary or answer.
 */
@ExtendWith(ParseServerExtension.class)
class SecretsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RPC_KEY = "gfRpcKeyRECOGNISABLE0123456789";

    @Test
    void noSecretAppearsAnywhere(ParseTestServer server) throws Exception {
        String masterKey = server.masterKey().reveal();
        String webhookKey = new String(server.webhookKey());
        assertThat(masterKey).startsWith("gf-mk-");
        assertThat(webhookKey).startsWith("gf-wh-");
        List<String> seen = new ArrayList<>(); // every message, summary and answer the test gets back

        try (Anvil anvil = Anvil.start(); MockWebServer provider = new MockWebServer(); ParseClient client = server.newClient()) {
            GemforceContracts g = new GemforceContracts(anvil).deployAll();
            g.createDiamond(Anvil.DEPLOYER, "SEC", "Secrets");
            // a "provider" whose URL carries the key in its path, that rate-limits and fails now and then
            OkHttpClient up = new OkHttpClient();
            AtomicInteger n = new AtomicInteger();
            provider.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest rr) {
                    int i = n.incrementAndGet();
                    if (i % 5 == 0) {
                        return new MockResponse().setResponseCode(429);
                    }
                    if (i % 7 == 0) {
                        return new MockResponse().setResponseCode(503).setBody("upstream " + rr.getPath() + " failed");
                    }
                    try (Response r = up.newCall(new Request.Builder().url(anvil.rpcUrl())
                            .post(RequestBody.create(rr.getBody().readUtf8(), MediaType.get("application/json"))).build())
                            .execute()) {
                        return new MockResponse().setHeader("Content-Type", "application/json").setBody(r.body().string());
                    } catch (IOException e) {
                        return new MockResponse().setResponseCode(502);
                    }
                }
            });
            provider.start();
            String keyedUrl = provider.url("/v2/" + RPC_KEY).toString();
            String deadUrl = "http://127.0.0.1:9/v3/" + RPC_KEY + "?apikey=" + RPC_KEY;
            Network local = Networks.defaults().resolve("localhost").withFactories(List.of(g.factory), g.factoryBlock);
            Networks networks = Networks.defaults().toBuilder().add(local).build();

            try (Web3jChainSource chain = Web3jChainSource.builder().rpcUrl(deadUrl).rpcUrl(keyedUrl).maxAttempts(4)
                    .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).build()) {
                seen.add(chain.toString());
                DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chain).sink(ParseStateSink.builder(client).build())
                        .networks(networks).build();
                SyncSummary ok = syncer.syncAll("localhost");
                seen.add(ok.toJson());
                try (CloudFunctions endpoint = CloudFunctions.builder().syncer(syncer).client(client)
                        .webhookKey(server.webhookKey()).build().start()) {
                    OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(60)).build();
                    for (String params : List.of("{\"network\":\"localhost\"}", "{\"network\":\"nowhere\"}",
                            "{\"network\":\"localhost\",\"fromBlock\":\"x\"}", "{\"network\":\"localhost\",\"async\":true}")) {
                        Request r = new Request.Builder().url(server.serverUrl() + "/functions/syncAllDiamonds")
                                .header("X-Parse-Application-Id", server.appId()).header("X-Parse-Master-Key", masterKey)
                                .post(RequestBody.create(params, MediaType.get("application/json"))).build();
                        try (Response resp = http.newCall(r).execute()) {
                            seen.add(resp.body().string());
                        }
                    }
                    Request wrongKey = new Request.Builder().url(endpoint.baseUrl() + "/functions/syncAllDiamonds")
                            .header("X-Parse-Webhook-Key", webhookKey + "-wrong")
                            .post(RequestBody.create("{}", MediaType.get("application/json"))).build();
                    try (Response resp = http.newCall(wrongKey).execute()) {
                        seen.add(resp.body().string());
                    }
                    Thread.sleep(500); // let the async job log what it logs
                }
            }
            // only dead endpoints: every failure path
            try (Web3jChainSource dead = Web3jChainSource.builder().rpcUrl(deadUrl).maxAttempts(2)
                    .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build()) {
                try {
                    dead.head();
                } catch (RuntimeException e) {
                    seen.add(e.getMessage());
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    seen.add(trace.toString());
                }
                SyncSummary failed = DiamondSyncer.builder().chainSource(dead).sink(ParseStateSink.builder(client).build())
                        .networks(networks).build().syncAll("localhost", 0L, 0L, false);
                seen.add(failed.toJson());
            } catch (RuntimeException e) {
                seen.add(e.getMessage());
            }
            // the Parse client with a bad master key and a dead server
            try (ParseClient wrong = ParseClient.builder().serverUrl(server.serverUrl()).applicationId(server.appId())
                    .masterKey(Secret.of(masterKey + "x")).build()) {
                wrong.count(ParseSchema.DIAMOND, JSON.createObjectNode());
            } catch (RuntimeException e) {
                seen.add(e.getMessage());
                seen.add(String.valueOf(e));
            }
        }

        assertThat(seen).isNotEmpty();
        for (String s : seen) {
            assertThat(s).doesNotContain(masterKey).doesNotContain(webhookKey).doesNotContain(RPC_KEY);
        }
        assertThat(String.join("\n", seen)).contains("127.0.0.1:9"); // the failure paths were taken
        assertThat(server.logsContainMasterKey()).isFalse();
        String clientLog = System.getProperty("org.slf4j.simpleLogger.logFile");
        if (clientLog != null) {
            assertThat(Files.readString(Path.of(clientLog))).as("the retries were logged").contains("429");
        }
        for (Path log : logs(server)) {
            String text = Files.readString(log);
            assertThat(text).as(log.toString()).doesNotContain(masterKey).doesNotContain(webhookKey).doesNotContain(RPC_KEY);
        }
    }

    private static List<Path> logs(ParseTestServer server) throws IOException {
        List<Path> out = new ArrayList<>();
        String clientLog = System.getProperty("org.slf4j.simpleLogger.logFile");
        if (clientLog != null && Files.exists(Path.of(clientLog))) {
            out.add(Path.of(clientLog));
        }
        try (var files = Files.walk(server.logDir())) {
            files.filter(Files::isRegularFile).forEach(out::add);
        }
        try (var files = Files.walk(Path.of("target"), 1)) {
            files.filter(p -> p.getFileName().toString().startsWith("anvil-")).forEach(out::add);
        }
        return out;
    }
}
