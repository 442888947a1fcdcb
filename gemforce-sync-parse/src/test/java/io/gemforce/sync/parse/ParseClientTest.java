package io.gemforce.sync.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.QueueDispatcher;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ParseClient} against a scripted HTTP server: error mapping, retries, batches, queries. */
class ParseClientTest {
    private static final ObjectMapper M = new ObjectMapper();
    private MockWebServer web;
    private ParseClient client;

    @BeforeEach
    void start() throws IOException {
        web = new MockWebServer();
        ((QueueDispatcher) web.getDispatcher()).setFailFast(true);
        web.start();
        client = builder().build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        web.shutdown();
    }

    private ParseClient.Builder builder() {
        return ParseClient.builder().serverUrl(web.url("/parse").toString()).applicationId("app")
                .masterKey(Secret.of("mk-test")).readTimeout(Duration.ofSeconds(5))
                .retry(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), 2.0));
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }

    private static ObjectNode obj(String k, String v) {
        return JsonNodeFactory.instance.objectNode().put(k, v);
    }

    private RecordedRequest take() throws InterruptedException {
        return web.takeRequest(5, TimeUnit.SECONDS);
    }

    @Test
    void sendsTheApplicationIdTheMasterKeyAndJson() throws Exception {
        web.enqueue(json(201, "{\"objectId\":\"a1\",\"createdAt\":\"2026-01-01T00:00:00.000Z\"}"));
        ObjectNode created = client.create("Thing", obj("name", "x"));
        assertThat(created.path("objectId").asText()).isEqualTo("a1");
        RecordedRequest r = take();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getPath()).isEqualTo("/parse/classes/Thing");
        assertThat(r.getHeader("X-Parse-Application-Id")).isEqualTo("app");
        assertThat(r.getHeader("X-Parse-Master-Key")).isEqualTo("mk-test");
        assertThat(r.getHeader("X-Parse-Request-Id")).isNotBlank();
        assertThat(r.getHeader("Content-Type")).startsWith("application/json");
        assertThat(M.readTree(r.getBody().readUtf8())).isEqualTo(obj("name", "x"));
    }

    @Test
    void mapsParseErrorsToTypedExceptionsWithoutRetrying() throws Exception {
        web.enqueue(json(400, "{\"code\":137,\"error\":\"A duplicate value for a field with unique values was provided\"}"));
        assertThatThrownBy(() -> client.create("Thing", obj("objectId", "a1")))
                .isInstanceOfSatisfying(ParseException.class, e -> {
                    assertThat(e.parseCode()).isEqualTo(ParseException.DUPLICATE_VALUE);
                    assertThat(e.parseError()).contains("duplicate value");
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.attempts()).isEqualTo(1);
                    assertThat(e.transientFailure()).isFalse();
                    assertThat(e.request()).isEqualTo("POST /parse/classes/Thing");
                    assertThat(e.getMessage()).isEqualTo("POST /parse/classes/Thing failed: HTTP 400, code 137, "
                            + "A duplicate value for a field with unique values was provided");
                    assertThat(e).isInstanceOf(io.gemforce.sync.SinkException.class);
                });
        assertThat(web.getRequestCount()).isEqualTo(1);
    }

    @Test
    void mapsAnswersWithoutACode() {
        web.enqueue(json(403, "{\"error\":\"unauthorized\"}"));
        assertThatThrownBy(() -> client.find("Thing", ParseQuery.all())).isInstanceOfSatisfying(ParseException.class,
                e -> {
                    assertThat(e.parseCode()).isEqualTo(ParseException.OTHER_CAUSE);
                    assertThat(e.parseError()).isEqualTo("unauthorized");
                    assertThat(e.httpStatus()).isEqualTo(403);
                });
        web.enqueue(json(413, "{\"error\":\"request entity too large\"}"));
        assertThatThrownBy(() -> client.batch(List.of(BatchOp.delete("Thing", "a")), true))
                .isInstanceOfSatisfying(ParseException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(413);
                    assertThat(e.getMessage()).contains("maxUploadSize");
                    assertThat(e.attempts()).isEqualTo(1);
                });
        web.enqueue(new MockResponse().setResponseCode(404).setBody("<html>not found</html>"));
        assertThatThrownBy(() -> client.delete("Thing", "a")).isInstanceOfSatisfying(ParseException.class,
                e -> assertThat(e.parseError()).isEqualTo("<html>not found</html>"));
    }

    @Test
    void objectNotFoundOnGetIsEmpty() {
        web.enqueue(json(404, "{\"code\":101,\"error\":\"Object not found.\"}"));
        assertThat(client.get("Thing", "nope")).isEmpty();
        web.enqueue(json(400, "{\"code\":103,\"error\":\"Class Nope does not exist.\"}"));
        assertThat(client.schema("Nope")).isEmpty();
    }

    @Test
    void retries429And5xxWithTheSameRequestId() throws Exception {
        web.enqueue(json(429, "{\"code\":155,\"error\":\"Too many requests\"}").setHeader("Retry-After", "0"));
        web.enqueue(json(503, "{\"error\":\"unavailable\"}"));
        web.enqueue(json(200, "{\"results\":[{\"objectId\":\"a\"}]}"));
        assertThat(client.find("Thing", ParseQuery.all()).results()).hasSize(1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(take().getHeader("X-Parse-Request-Id"));
        }
        assertThat(ids).doesNotContainNull().containsOnly(ids.get(0));
    }

    @Test
    void givesUpAfterMaxAttempts() {
        for (int i = 0; i < 3; i++) {
            web.enqueue(json(502, "{\"code\":1,\"error\":\"bad gateway\"}"));
        }
        assertThatThrownBy(() -> client.update("Thing", "a", obj("x", "y")))
                .isInstanceOfSatisfying(ParseException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(3);
                    assertThat(e.httpStatus()).isEqualTo(502);
                    assertThat(e.transientFailure()).isTrue();
                    assertThat(e.getMessage()).contains("after 3 attempts");
                });
        assertThat(web.getRequestCount()).isEqualTo(3);
    }

    @Test
    void retriesConnectionFailuresThenReportsThem() throws Exception {
        web.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        web.enqueue(json(200, "{\"results\":[]}"));
        assertThat(client.find("Thing", ParseQuery.all()).results()).isEmpty();

        String url = web.url("/parse").toString();
        web.shutdown();
        try (ParseClient down = builder().serverUrl(url).build()) {
            assertThatThrownBy(() -> down.count("Thing", obj("a", "b")))
                    .isInstanceOfSatisfying(ParseException.class, e -> {
                        assertThat(e.parseCode()).isEqualTo(ParseException.CONNECTION_FAILED);
                        assertThat(e.httpStatus()).isZero();
                        assertThat(e.attempts()).isEqualTo(3);
                    });
        }
        web = new MockWebServer();
    }

    @Test
    void anAbortedTransactionIsNotRetriedButAFailedPlainBatchIs() throws Exception {
        web.enqueue(json(500, "{\"code\":1,\"message\":\"Internal server error.\"}"));
        List<BatchOp> ops = List.of(BatchOp.create("Thing", obj("objectId", "a")));
        assertThatThrownBy(() -> client.batch(ops, true)).isInstanceOfSatisfying(ParseException.class, e -> {
            assertThat(e.transactionAborted()).isTrue();
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.parseError()).isEqualTo("Internal server error.");
        });
        JsonNode sent = M.readTree(take().getBody().readUtf8());
        assertThat(sent.path("transaction").asBoolean()).isTrue();
        assertThat(sent.path("requests").get(0).path("path").asText()).isEqualTo("/parse/classes/Thing");
        assertThat(sent.path("requests").get(0).path("method").asText()).isEqualTo("POST");

        web.enqueue(json(500, "{\"code\":1,\"message\":\"Internal server error.\"}"));
        web.enqueue(json(200, "[{\"success\":{\"objectId\":\"a\"}}]"));
        assertThat(client.batch(ops, false)).singleElement().satisfies(r -> assertThat(r.isSuccess()).isTrue());
    }

    @Test
    void reportsEachSubRequestOfAPlainBatch() {
        web.enqueue(json(200, "[{\"success\":{\"objectId\":\"a\"}},{\"error\":{\"code\":101,\"error\":\"Object not found.\"}}]"));
        List<BatchResult> r = client.batch(List.of(BatchOp.create("T", obj("objectId", "a")), BatchOp.delete("T", "b")),
                false);
        assertThat(r.get(0).isSuccess()).isTrue();
        assertThat(r.get(1).errorCode()).isEqualTo(ParseException.OBJECT_NOT_FOUND);
        assertThat(r.get(1).errorMessage()).isEqualTo("Object not found.");
    }

    @Test
    void refusesBatchesAboveTheLimitsAndChunksInOrder() {
        try (ParseClient small = builder().maxBatchRequests(3).maxBatchBytes(2048).build()) {
            List<BatchOp> ops = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                ops.add(BatchOp.delete("T", "id" + i));
            }
            assertThatThrownBy(() -> small.batch(ops, true)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxBatchRequests");
            List<List<BatchOp>> chunks = small.chunk(ops);
            assertThat(chunks).extracting(List::size).containsExactly(3, 3, 1);
            assertThat(chunks.stream().flatMap(List::stream).toList()).isEqualTo(ops);

            List<BatchOp> big = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                big.add(BatchOp.create("T", obj("blob", "x".repeat(600))));
            }
            assertThat(small.chunk(big)).extracting(List::size).containsExactly(2, 1);
            List<BatchOp> tooBig = List.of(big.get(0), big.get(1), big.get(2), BatchOp.create("T", obj("b", "y".repeat(600))));
            try (ParseClient bytesLimited = builder().maxBatchBytes(2048).build()) {
                assertThatThrownBy(() -> bytesLimited.batch(tooBig, true)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("maxBatchBytes");
            }
        }
    }

    @Test
    void queriesCarryTheirParametersAndLongOnesGoAsPostWithMethodGet() throws Exception {
        web.enqueue(json(200, "{\"results\":[],\"count\":7}"));
        ObjectNode where = JsonNodeFactory.instance.objectNode().put("chainId", 5);
        QueryResult q = client.find("Thing", ParseQuery.where(where).order("-n").limit(10).skip(20).keys("a", "b")
                .withCount());
        assertThat(q.count()).isEqualTo(7);
        RecordedRequest r = take();
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getRequestUrl().queryParameter("where")).isEqualTo("{\"chainId\":5}");
        assertThat(r.getRequestUrl().queryParameter("order")).isEqualTo("-n");
        assertThat(r.getRequestUrl().queryParameter("limit")).isEqualTo("10");
        assertThat(r.getRequestUrl().queryParameter("skip")).isEqualTo("20");
        assertThat(r.getRequestUrl().queryParameter("keys")).isEqualTo("a,b");
        assertThat(r.getRequestUrl().queryParameter("count")).isEqualTo("1");

        web.enqueue(json(200, "{\"results\":[]}"));
        ObjectNode in = JsonNodeFactory.instance.objectNode();
        var arr = in.putObject("objectId").putArray("$in");
        for (int i = 0; i < 500; i++) {
            arr.add("0123456789abcdef0123456789abcdef");
        }
        client.find("Thing", ParseQuery.where(in).limit(500));
        RecordedRequest post = take();
        assertThat(post.getMethod()).isEqualTo("POST");
        JsonNode body = M.readTree(post.getBody().readUtf8());
        assertThat(body.path("_method").asText()).isEqualTo("GET");
        assertThat(body.path("where")).isEqualTo(in);
        assertThat(body.path("limit").asText()).isEqualTo("500");
    }

    @Test
    void findAllPagesWithAnObjectIdCursor() throws Exception {
        web.enqueue(json(200, "{\"results\":[{\"objectId\":\"a\"},{\"objectId\":\"b\"}]}"));
        web.enqueue(json(200, "{\"results\":[{\"objectId\":\"c\"},{\"objectId\":\"d\"}]}"));
        web.enqueue(json(200, "{\"results\":[{\"objectId\":\"e\"}]}"));
        List<ObjectNode> all = client.findAll("Thing", JsonNodeFactory.instance.objectNode().put("chainId", 1), 2);
        assertThat(all).extracting(o -> o.path("objectId").asText()).containsExactly("a", "b", "c", "d", "e");
        RecordedRequest first = take();
        assertThat(first.getRequestUrl().queryParameter("order")).isEqualTo("objectId");
        assertThat(M.readTree(first.getRequestUrl().queryParameter("where")))
                .isEqualTo(M.readTree("{\"chainId\":1}"));
        assertThat(M.readTree(take().getRequestUrl().queryParameter("where")))
                .isEqualTo(M.readTree("{\"chainId\":1,\"objectId\":{\"$gt\":\"b\"}}"));
        assertThat(M.readTree(take().getRequestUrl().queryParameter("where")))
                .isEqualTo(M.readTree("{\"chainId\":1,\"objectId\":{\"$gt\":\"d\"}}"));
    }

    @Test
    void builderRejectsIncompleteOrUnsafeSettings() {
        assertThatThrownBy(() -> ParseClient.builder().serverUrl("http://h/parse").applicationId("a").build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ParseClient.builder().serverUrl("http://user:pw@h/parse"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParseClient.builder().serverUrl("not a url"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.get("Bad/Class", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.get("Thing", "a/b")).isInstanceOf(IllegalArgumentException.class);
    }
}
