package io.gemforce.sync.parse;

import static io.gemforce.sync.parse.SinkFixtures.CHAIN_A;
import static io.gemforce.sync.parse.SinkFixtures.CHAIN_B;
import static io.gemforce.sync.parse.SinkFixtures.addr;
import static io.gemforce.sync.parse.SinkFixtures.blockHash;
import static io.gemforce.sync.parse.SinkFixtures.checkpoint;
import static io.gemforce.sync.parse.SinkFixtures.events;
import static io.gemforce.sync.parse.SinkFixtures.facet;
import static io.gemforce.sync.parse.SinkFixtures.fullDiamond;
import static io.gemforce.sync.parse.SinkFixtures.network;
import static io.gemforce.sync.parse.SinkFixtures.range;
import static io.gemforce.sync.parse.SinkFixtures.threeFacets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.sink.ApplyResult;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.sink.StoredEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import okhttp3.Interceptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ParseStateSink} against a real Parse Server on PostgreSQL, compared call for call with
 * {@link InMemoryStateSink} and read back through plain REST queries.
 */
@ExtendWith(ParseServerExtension.class)
class ParseStateSinkIT {
    private static ParseTestServer server;
    private static ParseClient client;
    private static ParseStateSink sink;

    @BeforeAll
    static void start(ParseTestServer s) {
        server = s;
        client = s.newClient();
        sink = ParseStateSink.builder(client).build();
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @BeforeEach
    void empty() {
        server.purgeSinkClasses();
    }

    /** objectId → updatedAt of every row of the chain, per class, read with plain REST queries. */
    private static Map<String, Map<String, String>> rows(long chainId) {
        Map<String, Map<String, String>> all = new TreeMap<>();
        for (ParseSchema.ClassDef d : ParseSchema.classes()) {
            Map<String, String> m = new TreeMap<>();
            for (ObjectNode r : client.findAll(d.className(), where("chainId", chainId), 1000)) {
                m.put(r.path("objectId").asText(), r.path("updatedAt").asText());
            }
            all.put(d.className(), m);
        }
        return all;
    }

    private static ObjectNode where(String field, long value) {
        ObjectNode w = JsonNodeFactory.instance.objectNode();
        w.put(field, value);
        return w;
    }

    private static long count(String cls, long chainId) {
        return client.count(cls, where("chainId", chainId));
    }

    /** Applies the same calls to the Parse sink and a fresh in-memory sink, and compares both chains. */
    private static InMemoryStateSink reference(Consumer<StateSink> calls) {
        InMemoryStateSink mem = new InMemoryStateSink();
        calls.accept(mem);
        return mem;
    }

    private static void assertSameContents(ParseStateSink parse, InMemoryStateSink mem, long... chains) {
        for (long c : chains) {
            assertThat(parse.contents(c)).as("contents of chain %d", c).isEqualTo(mem.contents(c));
            assertThat(parse.diamonds(c)).isEqualTo(mem.diamonds(c));
        }
    }

    @Test
    void applyingTheSameChangeSetTwiceWritesNothingTheSecondTime() {
        ChangeSet cs = range(CHAIN_A, 10, 14);
        ApplyResult first = sink.apply(cs);
        InMemoryStateSink mem = reference(s -> s.apply(cs));
        assertThat(first).isEqualTo(new ApplyResult(15, 2));

        Map<String, Map<String, String>> before = rows(CHAIN_A);
        ApplyResult second = sink.apply(cs);

        assertThat(second).isEqualTo(new ApplyResult(0, 0));
        assertThat(rows(CHAIN_A)).as("no object created, deleted or updated").isEqualTo(before);
        assertThat(count(ParseSchema.DIAMOND_EVENT, CHAIN_A)).isEqualTo(15);
        assertThat(count(ParseSchema.DIAMOND, CHAIN_A)).isEqualTo(2);
        assertThat(count(ParseSchema.FACET, CHAIN_A)).isEqualTo(4);
        assertThat(count(ParseSchema.SYNC_STATE, CHAIN_A)).isEqualTo(2);
        assertSameContents(sink, mem, CHAIN_A);
    }

    @Test
    void recordsRoundTripExactly() {
        ChangeSet cs = range(CHAIN_A, 1, 3);
        sink.apply(cs);
        InMemoryStateSink mem = reference(s -> s.apply(cs));
        assertSameContents(sink, mem, CHAIN_A);
        for (DiamondRecord d : cs.diamonds()) {
            assertThat(sink.diamond(CHAIN_A, d.address())).contains(d);
        }
        assertThat(sink.diamond(CHAIN_A, addr(0xdead))).isEmpty();
        for (Checkpoint cp : cs.checkpoints()) {
            assertThat(sink.checkpoint(CHAIN_A, cp.scope())).contains(cp);
        }
        assertThat(sink.checkpoint(CHAIN_A, "nope")).isEmpty();
        assertThat(sink.checkpoint(CHAIN_B, Checkpoint.allScope())).isEmpty();

        // what a Parse client sees
        ObjectNode row = client.get(ParseSchema.DIAMOND, ObjectIds.diamond(CHAIN_A, addr(0xd1))).orElseThrow();
        assertThat(row.path("address").asText()).isEqualTo(addr(0xd1).hex());
        assertThat(row.path("facetCount").asInt()).isEqualTo(3);
        assertThat(row.path("selectorCount").asInt()).isEqualTo(7);
        assertThat(row.path("pendingUpgrade").path("executionTime").asText()).hasSize(78);
        ObjectNode bare = client.get(ParseSchema.DIAMOND, ObjectIds.diamond(CHAIN_A, addr(0xd2))).orElseThrow();
        assertThat(bare.has("symbol")).isFalse();
        assertThat(bare.has("pendingUpgrade")).isFalse();
    }

    @Test
    void overlappingRangesInsertOnlyNewEvents() {
        ChangeSet a = range(CHAIN_A, 10, 12);
        ChangeSet b = range(CHAIN_A, 11, 15);
        sink.apply(a);
        ApplyResult r = sink.apply(b);
        InMemoryStateSink mem = new InMemoryStateSink();
        mem.apply(a);
        ApplyResult expected = mem.apply(b);
        assertThat(r).isEqualTo(expected);
        assertThat(r.eventsInserted()).isEqualTo(9);
        assertSameContents(sink, mem, CHAIN_A);
    }

    @Test
    void facetsRemovedOnChainDisappearAndOrderIsKept() {
        Address d = addr(0xd1);
        ChangeSet three = new ChangeSet(network(CHAIN_A), CHAIN_A, List.of(),
                List.of(fullDiamond(CHAIN_A, d, 5, 10, threeFacets())), List.of());
        ChangeSet one = new ChangeSet(network(CHAIN_A), CHAIN_A, List.of(),
                List.of(fullDiamond(CHAIN_A, d, 5, 11, List.of(facet(3, 0x8da5cb5b), facet(1, 0x1f931c1c)))),
                List.of());
        assertThat(sink.apply(three).diamondsChanged()).isEqualTo(1);
        assertThat(sink.apply(one).diamondsChanged()).isEqualTo(1);

        ObjectNode w = where("chainId", CHAIN_A);
        w.put("diamondAddress", d.hex());
        List<ObjectNode> facetRows = client.findAll(ParseSchema.FACET, w, 100);
        assertThat(facetRows).hasSize(2);
        assertThat(facetRows).allSatisfy(r -> assertThat(r.path("diamond").path("objectId").asText())
                .isEqualTo(ObjectIds.diamond(CHAIN_A, d)));
        assertThat(sink.diamond(CHAIN_A, d).orElseThrow().facets()).isEqualTo(one.diamonds().get(0).facets());
        assertSameContents(sink, reference(s -> {
            s.apply(three);
            s.apply(one);
        }), CHAIN_A);
    }

    @Test
    void pendingUpgradeIsSetThenCleared() {
        Address d = addr(0xd1);
        DiamondRecord pending = fullDiamond(CHAIN_A, d, 5, 10, threeFacets());
        DiamondRecord cleared = new DiamondRecord(pending.network(), CHAIN_A, d, pending.symbol(), pending.name(),
                pending.factory(), pending.owner(), pending.facets(), pending.createdBlock(), pending.createdTx(), 12,
                blockHash(CHAIN_A, 12), null, true);
        sink.apply(new ChangeSet(network(CHAIN_A), CHAIN_A, List.of(), List.of(pending), List.of()));
        String id = ObjectIds.diamond(CHAIN_A, d);
        assertThat(client.get(ParseSchema.DIAMOND, id).orElseThrow().path("pendingUpgrade").isObject()).isTrue();

        sink.apply(new ChangeSet(network(CHAIN_A), CHAIN_A, List.of(), List.of(cleared), List.of()));
        assertThat(client.get(ParseSchema.DIAMOND, id).orElseThrow().has("pendingUpgrade")).isFalse();
        assertThat(sink.diamond(CHAIN_A, d)).contains(cleared);
    }

    @Test
    void rollbackAndResetTouchOneChainOnly() {
        List<ChangeSet> sets = List.of(range(CHAIN_A, 10, 14), range(CHAIN_A, 15, 20), range(CHAIN_B, 10, 14),
                range(CHAIN_B, 15, 20),
                // a diamond created above the fork, with facets
                new ChangeSet(network(CHAIN_A), CHAIN_A, events(CHAIN_A, addr(0xd3), 18, 18, 1, 5),
                        List.of(fullDiamond(CHAIN_A, addr(0xd3), 18, 20, threeFacets())),
                        List.of(checkpoint(CHAIN_A, Checkpoint.diamondScope(addr(0xd3)), 20),
                                checkpoint(CHAIN_A, "events:" + addr(0xd1).hex() + ":*", 12))));
        BlockId fork = new BlockId(16, blockHash(CHAIN_A, 16));
        sets.forEach(sink::apply);
        InMemoryStateSink mem = reference(s -> sets.forEach(s::apply));
        Map<String, Map<String, String>> chainB = rows(CHAIN_B);

        sink.rollback(CHAIN_A, fork);
        mem.rollback(CHAIN_A, fork);
        assertSameContents(sink, mem, CHAIN_A, CHAIN_B);
        assertThat(rows(CHAIN_B)).as("chain B untouched by the rollback").isEqualTo(chainB);
        assertThat(sink.diamond(CHAIN_A, addr(0xd3))).as("created above the fork").isEmpty();
        ObjectNode w = where("chainId", CHAIN_A);
        w.put("diamondAddress", addr(0xd3).hex());
        assertThat(client.count(ParseSchema.FACET, w)).as("its facets went with it").isZero();
        assertThat(sink.diamond(CHAIN_A, addr(0xd1)).orElseThrow().lastSyncedBlock()).isEqualTo(-1);
        assertThat(sink.checkpoint(CHAIN_A, Checkpoint.allScope()).orElseThrow().block()).isEqualTo(fork);

        Map<String, Map<String, String>> afterRollback = rows(CHAIN_A);
        sink.rollback(CHAIN_A, fork);
        assertThat(rows(CHAIN_A)).as("a repeated rollback changes nothing").isEqualTo(afterRollback);

        sink.reset(CHAIN_A);
        mem.reset(CHAIN_A);
        assertSameContents(sink, mem, CHAIN_A, CHAIN_B);
        for (ParseSchema.ClassDef d : ParseSchema.classes()) {
            assertThat(count(d.className(), CHAIN_A)).isZero();
        }
        assertThat(rows(CHAIN_B)).as("chain B untouched by the reset").isEqualTo(chainB);
    }

    @Test
    void aChangeSetLargerThanOneBatchIsWrittenInOrderAndEqualsOneApply() {
        AtomicInteger batches = new AtomicInteger();
        try (ParseClient small = server.clientBuilder().maxBatchRequests(7).addInterceptor(countBatches(batches))
                .build()) {
            ParseStateSink chunked = ParseStateSink.builder(small).build();
            ChangeSet cs = range(CHAIN_A, 10, 19);
            assertThat(chunked.apply(cs)).isEqualTo(new ApplyResult(30, 2));
            assertThat(batches.get()).isGreaterThan(1);
            assertSameContents(chunked, reference(s -> s.apply(cs)), CHAIN_A);
        }
    }

    @Test
    void aFailureBetweenBatchesLeavesTheCheckpointBehindAndARetryCompletesTheStore() {
        ChangeSet cs = range(CHAIN_A, 10, 19);
        AtomicInteger batches = new AtomicInteger();
        try (ParseClient failing = server.clientBuilder().maxBatchRequests(7).retry(RetryPolicy.NONE)
                .addInterceptor(chain -> {
                    if (isBatch(chain) && batches.incrementAndGet() == 3) {
                        throw new IOException("injected: connection lost before the third batch");
                    }
                    return chain.proceed(chain.request());
                }).build()) {
            ParseStateSink s = ParseStateSink.builder(failing).bootstrapSchema(false).build();
            assertThatThrownBy(() -> s.apply(cs)).isInstanceOfSatisfying(ParseException.class,
                    e -> assertThat(e.parseCode()).isEqualTo(ParseException.CONNECTION_FAILED));
        }
        assertThat(count(ParseSchema.DIAMOND_EVENT, CHAIN_A)).as("the first batches were written").isPositive();
        assertThat(sink.checkpoint(CHAIN_A, Checkpoint.allScope())).as("the checkpoint is written last").isEmpty();

        ApplyResult resumed = sink.apply(cs);
        assertThat(resumed.eventsInserted()).isLessThan(30);
        assertSameContents(sink, reference(m -> m.apply(cs)), CHAIN_A);
        assertThat(sink.apply(cs)).isEqualTo(ApplyResult.NONE);
    }

    @Test
    void aBatchWhoseAnswerIsLostIsNotWrittenTwice() {
        ChangeSet cs = range(CHAIN_A, 10, 12);
        AtomicInteger batches = new AtomicInteger();
        try (ParseClient lossy = server.clientBuilder().addInterceptor(chain -> {
            var response = chain.proceed(chain.request());
            if (isBatch(chain) && batches.incrementAndGet() == 1) {
                response.close();
                throw new IOException("injected: connection reset after the batch was committed");
            }
            return response;
        }).build()) {
            ParseStateSink s = ParseStateSink.builder(lossy).bootstrapSchema(false).build();
            // the client retries the committed batch, Parse answers 137 inside the transaction (code 1),
            // the sink reads again and finds nothing left to write
            assertThat(s.apply(cs)).isEqualTo(new ApplyResult(9, 2));
        }
        assertThat(batches.get()).isGreaterThanOrEqualTo(2);
        assertSameContents(sink, reference(m -> m.apply(cs)), CHAIN_A);
    }

    @Test
    void parseServerStoppedMidChangeSetFailsCleanlyAndARetryAfterRestartCompletesTheStore() {
        ChangeSet first = range(CHAIN_A, 10, 12);
        ChangeSet second = range(CHAIN_A, 13, 16);
        sink.apply(first);
        AtomicInteger batches = new AtomicInteger();
        try (ParseClient c = server.clientBuilder().addInterceptor(chain -> {
            if (isBatch(chain) && batches.incrementAndGet() == 1) {
                server.stopParse();
            }
            return chain.proceed(chain.request());
        }).build()) {
            ParseStateSink s = ParseStateSink.builder(c).bootstrapSchema(false).build();
            try {
                assertThatThrownBy(() -> s.apply(second)).isInstanceOfSatisfying(ParseException.class, e -> {
                    assertThat(e.parseCode()).isEqualTo(ParseException.CONNECTION_FAILED);
                    assertThat(e.attempts()).isEqualTo(3);
                });
            } finally {
                server.startParse();
            }
            assertThat(s.checkpoint(CHAIN_A, Checkpoint.allScope()).orElseThrow().blockNumber())
                    .as("nothing of the failed change set was written").isEqualTo(12);
            assertThat(s.apply(second).eventsInserted()).isEqualTo(12);
        }
        assertSameContents(sink, reference(m -> {
            m.apply(first);
            m.apply(second);
        }), CHAIN_A);
    }

    @Test
    void aLargeChangeSetIsWrittenOnceAndItsReplayReadsButDoesNotWrite() {
        ChangeSet cs = new ChangeSet(network(CHAIN_A), CHAIN_A, events(CHAIN_A, addr(0xd1), 1, 1250, 4),
                range(CHAIN_A, 1, 1).diamonds(), List.of(checkpoint(CHAIN_A, Checkpoint.allScope(), 1250)));
        AtomicInteger batches = new AtomicInteger();
        try (ParseClient c = server.clientBuilder().addInterceptor(countBatches(batches)).build()) {
            ParseStateSink s = ParseStateSink.builder(c).bootstrapSchema(false).build();
            long t0 = System.nanoTime();
            assertThat(s.apply(cs)).isEqualTo(new ApplyResult(5000, 2));
            long t1 = System.nanoTime();
            assertThat(batches.get()).as("5008 writes over maxBatchRequests 5000").isEqualTo(2);
            assertThat(s.apply(cs)).isEqualTo(ApplyResult.NONE);
            long t2 = System.nanoTime();
            assertThat(batches.get()).as("the replay sends no batch").isEqualTo(2);
            System.out.printf("5000 events: apply %d ms, replay %d ms%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        }
        assertThat(count(ParseSchema.DIAMOND_EVENT, CHAIN_A)).isEqualTo(5000);
        assertSameContents(sink, reference(m -> m.apply(cs)), CHAIN_A);
    }

    @Test
    void eventBlocksPagesThroughBlocksWithMoreEventsThanAPageAndAnswersAsTheInMemorySink() {
        List<StoredEvent> ev = new ArrayList<>(events(CHAIN_A, addr(0xd1), 10, 14, 9));
        ev.addAll(events(CHAIN_A, addr(0xd2), 12, 20, 2, 9));
        ev.addAll(events(CHAIN_B, addr(0xd1), 11, 13, 1));
        ChangeSet a = new ChangeSet(network(CHAIN_A), CHAIN_A, ev.stream().filter(e -> e.chainId() == CHAIN_A).toList(),
                List.of(), List.of(checkpoint(CHAIN_A, Checkpoint.allScope(), 20)));
        ChangeSet b = new ChangeSet(network(CHAIN_B), CHAIN_B, ev.stream().filter(e -> e.chainId() == CHAIN_B).toList(),
                List.of(), List.of(checkpoint(CHAIN_B, Checkpoint.allScope(), 13)));
        sink.apply(a);
        sink.apply(b);
        InMemoryStateSink mem = reference(m -> {
            m.apply(a);
            m.apply(b);
        });
        try (ParseClient c = server.newClient()) {
            ParseStateSink smallPages = ParseStateSink.builder(c).bootstrapSchema(false).pageSize(4).build();
            for (long atOrBelow : new long[] {100, 20, 14, 12, 10, 9}) {
                for (int limit : new int[] {1, 3, 5, 64}) {
                    assertThat(smallPages.eventBlocks(CHAIN_A, atOrBelow, limit)).as("at or below %d, limit %d", atOrBelow, limit)
                            .isEqualTo(mem.eventBlocks(CHAIN_A, atOrBelow, limit))
                            .isEqualTo(sink.eventBlocks(CHAIN_A, atOrBelow, limit));
                }
            }
            assertThat(smallPages.eventBlocks(CHAIN_A, 100, 64)).extracting(BlockId::number)
                    .containsExactly(20L, 19L, 18L, 17L, 16L, 15L, 14L, 13L, 12L, 11L, 10L);
            assertThat(smallPages.eventBlocks(CHAIN_B, 100, 64)).isEqualTo(mem.eventBlocks(CHAIN_B, 100, 64)).hasSize(3);
        }
    }

    @Test
    void startingTwiceChangesNothing() {
        try (ParseClient c = server.newClient()) {
            List<ObjectNode> before = ownSchemas(c);
            ParseStateSink again = ParseStateSink.builder(c).build();
            assertThat(again.schemaChanges().isEmpty()).isTrue();
            assertThat(ownSchemas(c)).isEqualTo(before);
        }
    }

    private static List<ObjectNode> ownSchemas(ParseClient c) {
        List<ObjectNode> out = new ArrayList<>();
        for (ParseSchema.ClassDef d : ParseSchema.classes()) {
            out.add(c.schema(d.className()).orElseThrow());
        }
        return out;
    }

    private static boolean isBatch(Interceptor.Chain chain) {
        return chain.request().url().encodedPath().endsWith("/batch");
    }

    private static Interceptor countBatches(AtomicInteger n) {
        return chain -> {
            if (isBatch(chain)) {
                n.incrementAndGet();
            }
            return chain.proceed(chain.request());
        };
    }
}
