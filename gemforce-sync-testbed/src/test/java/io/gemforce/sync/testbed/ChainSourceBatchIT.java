package io.gemforce.sync.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.LoupeAnswer;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.event.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Web3jChainSource}'s batches, concurrent use and pruned-state errors against a real Anvil
 * running the project's Gemforce contracts.
 */
@ExtendWith(AnvilExtension.class)
class ChainSourceBatchIT {
    private final Anvil anvil;
    private GemforceContracts g;
    private Web3jChainSource chain;

    ChainSourceBatchIT(Anvil anvil) {
        this.anvil = anvil;
    }

    @BeforeEach
    void freshChain() {
        anvil.reset();
        g = new GemforceContracts(anvil).deployAll();
        chain = Web3jChainSource.builder().rpcUrl(anvil.rpcUrl()).backoff(Duration.ofMillis(5), Duration.ofMillis(50)).build();
    }

    @AfterEach
    void close() {
        chain.close();
    }

    @Test
    void loupeOfSeveralDiamondsInOneBatchEqualsTheSingleCalls() {
        String owner = anvil.accounts().get(0);
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        Address d1 = g.createDiamond(owner, "B1", "Batch one");
        Address d2 = g.createDiamond(owner, "B2", "Batch two");
        Address d3 = g.createDiamond(owner, "B3", "Batch three");
        g.diamondCut(owner, d2, List.of(FacetCut.add(g.facetA, List.of(a.get("a01()"), a.get("a02()")))));
        g.transferOwnership(owner, d3, anvil.accounts().get(2));
        Address notADiamond = g.facetB; // a contract without the loupe
        Address noCode = Address.of(anvil.accounts().get(5));
        List<Address> asked = List.of(d1, d2, notADiamond, d3, noCode);
        long head = anvil.blockNumber();

        chain.resetCallCounts();
        List<LoupeAnswer> batched = chain.loupe(asked, head);
        assertThat(chain.requestCounts()).as("facets()+owner() of five in one round trip, the code of two in another")
                .isEqualTo(Map.of("batch(eth_call)", 1L, "batch(eth_getCode)", 1L));
        assertThat(chain.batchesRefused()).isFalse();

        for (LoupeAnswer answer : batched) {
            Address d = answer.diamond();
            if (answer.ok()) {
                assertThat(answer.facets()).isEqualTo(chain.facets(d, head));
                assertThat(answer.owner()).isEqualTo(chain.owner(d, head));
            } else {
                assertThatThrownBy(() -> chain.facets(d, head)).isInstanceOf(answer.failure().getClass())
                        .hasMessage(answer.failure().getMessage());
            }
        }
        assertThat(batched).extracting(LoupeAnswer::ok).containsExactly(true, true, false, true, false);
        assertThat(batched.get(2).failure().code()).isEqualTo(ErrorCode.NOT_A_DIAMOND);
        assertThat(batched.get(4).failure().code()).isEqualTo(ErrorCode.NO_CODE);
        assertThat(batched.get(1).facets()).hasSize(4);
        assertThat(batched.get(3).owner()).contains(Address.of(anvil.accounts().get(2)));
    }

    @Test
    void blocksAndTransactionInputsEqualTheSingleCalls() {
        String owner = anvil.accounts().get(0);
        Address d = g.createDiamond(owner, "B4", "Batch four");
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        String proposal = g.propose(owner, d, List.of(FacetCut.add(g.facetA, List.of(a.get("a03()"))))).getTransactionHash();
        anvil.mine(5);
        long head = anvil.blockNumber();
        List<Long> numbers = new ArrayList<>(LongStream.rangeClosed(0, head).boxed().toList());
        numbers.add(head + 10);

        chain.resetCallCounts();
        List<Optional<BlockRef>> batched = chain.blocks(numbers);
        assertThat(chain.requestCounts()).isEqualTo(Map.of("batch(eth_getBlockByNumber)", 1L));
        assertThat(batched).isEqualTo(numbers.stream().map(chain::block).toList());
        assertThat(batched.get(batched.size() - 1)).isEmpty();

        String unknown = "0x" + "ab".repeat(32);
        List<Optional<String>> inputs = chain.transactionInputs(List.of(proposal, unknown));
        assertThat(inputs).containsExactly(chain.transactionInput(proposal), Optional.empty());
        assertThat(inputs.get(0)).hasValueSatisfying(in -> assertThat(in).startsWith("0x"));
    }

    @Test
    void logQueriesFromSeveralThreadsEqualTheSameQueriesOneByOne() throws Exception {
        String owner = anvil.accounts().get(0);
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        List<Address> diamonds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Address d = g.createDiamond(owner, "T" + i, "Thread " + i);
            g.diamondCut(owner, d, List.of(FacetCut.add(g.facetA, List.of(a.get(String.format("a%02d()", i + 1))))));
            diamonds.add(d);
            anvil.mine(3);
        }
        long head = anvil.blockNumber();
        List<LogQuery> queries = new ArrayList<>();
        for (long from = 0; from <= head; from += 4) {
            queries.add(new LogQuery(from, Math.min(head, from + 3), diamonds, List.of(EventType.DIAMOND_CUT.topic0())));
        }
        List<List<RawLog>> sequential = queries.stream().map(chain::logs).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<RawLog>>> futures = new ArrayList<>();
            for (LogQuery q : queries) {
                futures.add(pool.submit(() -> chain.logs(q)));
            }
            List<List<RawLog>> parallel = new ArrayList<>();
            for (Future<List<RawLog>> f : futures) {
                parallel.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(parallel).isEqualTo(sequential);
        } finally {
            pool.shutdownNow();
        }
        assertThat(sequential.stream().mapToInt(List::size).sum()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void onANodeWithoutHistoryOldStateIsStateUnavailable() {
        try (Anvil pruned = Anvil.start(List.of("--prune-history", "20"));
                Web3jChainSource source = Web3jChainSource.builder().rpcUrl(pruned.rpcUrl())
                        .backoff(Duration.ofMillis(5), Duration.ofMillis(50)).build()) {
            GemforceContracts pg = new GemforceContracts(pruned).deployAll();
            Address d = pg.createDiamond(pruned.accounts().get(0), "P1", "Pruned one");
            long created = pruned.blockNumber();
            assertThat(source.facets(d, created)).isNotEmpty();
            pruned.mine(100);
            long head = source.head().number();

            assertThatThrownBy(() -> source.facets(d, created)).isInstanceOf(ChainException.StateUnavailable.class)
                    .satisfies(e -> assertThat(((SyncException) e).code()).isEqualTo(ErrorCode.STATE_UNAVAILABLE))
                    .hasMessageContaining("not an archive node").hasMessageContaining("creation block");
            assertThatThrownBy(() -> source.hasCode(d, created)).isInstanceOf(ChainException.StateUnavailable.class);
            assertThatThrownBy(() -> source.owner(d, created)).isInstanceOf(ChainException.StateUnavailable.class);
            List<LoupeAnswer> old = source.loupe(List.of(d, pg.facetA), created);
            assertThat(old).allSatisfy(a -> assertThat(a.failure()).isInstanceOf(ChainException.StateUnavailable.class));

            // recent state, blocks and logs are still there
            assertThat(source.facets(d, head)).isEqualTo(source.loupe(List.of(d), head).get(0).facets());
            assertThat(source.hasCode(d, head)).isTrue();
            assertThat(source.block(created)).isPresent();
            assertThat(source.logs(new LogQuery(0, head, List.of(d), List.of()))).isNotEmpty();
            // a block above the head is not pruned state
            assertThatThrownBy(() -> source.hasCode(d, head + 1_000)).isInstanceOf(ChainException.class)
                    .isNotInstanceOf(ChainException.StateUnavailable.class);
        }
    }
}
