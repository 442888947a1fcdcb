package io.gemforce.sync.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ParseClient} against a real Parse Server 9.10 on PostgreSQL. */
@ExtendWith(ParseServerExtension.class)
class ParseClientIT {
    private static final String CLS = "ClientItThing";
    private static ParseTestServer server;
    private static ParseClient client;

    @BeforeAll
    static void start(ParseTestServer s) {
        server = s;
        client = s.newClient();
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @BeforeEach
    void clean() {
        client.purge(CLS);
    }

    private static ObjectNode obj(String id, int n) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (id != null) {
            o.put("objectId", id);
        }
        o.put("n", n);
        o.put("tag", n % 2 == 0 ? "even" : "odd");
        return o;
    }

    private static ObjectNode where(String field, Object value) {
        ObjectNode w = JsonNodeFactory.instance.objectNode();
        w.putPOJO(field, value);
        return w;
    }

    @Test
    void createGetUpdateDeleteWithCustomObjectIds() {
        ObjectNode created = client.create(CLS, obj("thing-1", 1));
        assertThat(created.path("objectId").asText()).isEqualTo("thing-1");

        assertThatThrownBy(() -> client.create(CLS, obj("thing-1", 2)))
                .isInstanceOfSatisfying(ParseException.class, e -> {
                    assertThat(e.parseCode()).isEqualTo(ParseException.DUPLICATE_VALUE);
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.attempts()).isEqualTo(1);
                });

        ObjectNode patch = JsonNodeFactory.instance.objectNode().put("n", 5);
        client.update(CLS, "thing-1", patch);
        assertThat(client.get(CLS, "thing-1")).get().satisfies(o -> assertThat(o.path("n").asInt()).isEqualTo(5));
        assertThat(client.get(CLS, "nope")).isEmpty();
        assertThatThrownBy(() -> client.update(CLS, "nope", patch)).isInstanceOfSatisfying(ParseException.class,
                e -> assertThat(e.parseCode()).isEqualTo(ParseException.OBJECT_NOT_FOUND));

        client.delete(CLS, "thing-1");
        assertThat(client.get(CLS, "thing-1")).isEmpty();
    }

    @Test
    void queryOrderPagingAndCount() {
        List<BatchOp> ops = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ops.add(BatchOp.create(CLS, obj(String.format("id-%02d", i), i)));
        }
        assertThat(client.batch(ops, true)).allMatch(BatchResult::isSuccess);

        ObjectNode even = where("tag", "even");
        assertThat(client.count(CLS, even)).isEqualTo(13);
        QueryResult page = client.find(CLS, ParseQuery.where(even).order("-n").limit(5).skip(2).withCount());
        assertThat(page.count()).isEqualTo(13);
        assertThat(page.results()).extracting(o -> o.path("n").asInt()).containsExactly(20, 18, 16, 14, 12);

        ObjectNode gte = JsonNodeFactory.instance.objectNode();
        gte.putObject("n").put("$gte", 3);
        List<ObjectNode> all = client.findAll(CLS, gte, 4, "n");
        assertThat(all).extracting(o -> o.path("n").asInt()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.range(3, 25).boxed().toList());

        // a where with an objectId constraint, paged with the cursor ($and), and a long $in (POST _method=GET)
        ObjectNode in = JsonNodeFactory.instance.objectNode();
        var arr = in.putObject("objectId").putArray("$in");
        for (int i = 0; i < 400; i++) {
            arr.add(String.format("id-%02d", i));
        }
        assertThat(client.findAll(CLS, in, 7)).hasSize(25);
    }

    @Test
    void transactionalBatchIsAllOrNothing() {
        client.create(CLS, obj("dup", 0));
        List<BatchOp> ops = List.of(BatchOp.create(CLS, obj("new-1", 1)), BatchOp.create(CLS, obj("dup", 2)),
                BatchOp.create(CLS, obj("new-2", 3)));
        assertThatThrownBy(() -> client.batch(ops, true)).isInstanceOfSatisfying(ParseException.class, e -> {
            assertThat(e.transactionAborted()).isTrue();
            assertThat(e.parseCode()).isEqualTo(ParseException.INTERNAL_SERVER_ERROR);
            assertThat(e.attempts()).as("an aborted transaction is not retried").isEqualTo(1);
        });
        assertThat(client.count(CLS, where("n", JsonNodeFactory.instance.objectNode().put("$gte", 0)))).isEqualTo(1);

        List<BatchResult> loose = client.batch(ops, false);
        assertThat(loose).extracting(BatchResult::isSuccess).containsExactly(true, false, true);
        assertThat(loose.get(1).errorCode()).isEqualTo(ParseException.DUPLICATE_VALUE);
    }

    @Test
    void stoppedServerFailsWithTypedErrorAfterRetries() {
        AtomicInteger attempts = new AtomicInteger();
        try (ParseClient counting = server.clientBuilder().addInterceptor(chain -> {
            attempts.incrementAndGet();
            return chain.proceed(chain.request());
        }).build()) {
            server.stopParse();
            try {
                assertThatThrownBy(() -> counting.find(CLS, ParseQuery.all()))
                        .isInstanceOfSatisfying(ParseException.class, e -> {
                            assertThat(e.parseCode()).isEqualTo(ParseException.CONNECTION_FAILED);
                            assertThat(e.httpStatus()).isZero();
                            assertThat(e.attempts()).isEqualTo(3);
                            assertThat(e.transientFailure()).isTrue();
                            assertThat(e.getMessage()).contains("GET /parse/classes/" + CLS).contains("3 attempts");
                        });
                assertThat(attempts.get()).isEqualTo(3);
            } finally {
                server.startParse();
            }
            assertThat(counting.find(CLS, ParseQuery.all()).results()).isEmpty();
        }
    }

    @Test
    void serverLogsNeverContainTheMasterKey() throws Exception {
        client.create(CLS, obj("x", 1));
        assertThatThrownBy(() -> client.create(CLS, obj("x", 1))).isInstanceOf(ParseException.class);
        assertThat(server.logsContainMasterKey()).isFalse();
    }
}
