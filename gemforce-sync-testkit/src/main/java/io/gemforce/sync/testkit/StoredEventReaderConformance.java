package io.gemforce.sync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.sink.StoredEvent;
import io.gemforce.sync.sink.StoredEventReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link StoredEventReader} (the read port the history API replays), as a JUnit 5
 * suite for every store that offers it: a test extends this class and returns an empty store from
 * {@link #newStore()}, a {@link StateSink} that is also a {@link StoredEventReader}.
 *
 * <p>What it checks: nothing stored reads empty; one diamond's events come back in chain order
 * (block, then log index), its factory's {@code DiamondCreated} included, whatever the order they
 * were written in, and no other diamond's or chain's; a rollback and a reset are seen.
 *
 * <p>Each test starts with {@link #newStore()} and writes chains {@value #CHAIN} and
 * {@value #OTHER_CHAIN} only.
 */
public abstract class StoredEventReaderConformance {
    /** The chain the tests write ({@code localhost}). */
    protected static final long CHAIN = 31337;
    /** Another chain, whose events must not be answered for {@link #CHAIN} ({@code base-sepolia}). */
    protected static final long OTHER_CHAIN = 84532;
    private static final Address D1 = Address.of("0x00000000000000000000000000000000000000d1");
    private static final Address D2 = Address.of("0x00000000000000000000000000000000000000d2");
    private static final Address FACTORY = Address.of("0x00000000000000000000000000000000000000fa");

    private StateSink sink;
    private StoredEventReader reader;

    /** An empty store (or one whose data for {@link #CHAIN} and {@link #OTHER_CHAIN} was reset) that is also a reader. */
    protected abstract StateSink newStore();

    @BeforeEach
    void freshStore() {
        sink = newStore();
        assertThat(sink).isInstanceOf(StoredEventReader.class);
        reader = (StoredEventReader) sink;
    }

    private static String hash(long n) {
        return "0x" + String.format("%064x", n * 104729 + 3);
    }

    private static StoredEvent event(long chainId, Address diamond, Address emitter, long block, long logIndex, EventType type) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("newOwner", "0x00000000000000000000000000000000000000a1");
        args.put("diamondCut", List.of(Map.of("facetAddress", "0x00000000000000000000000000000000000000f1",
                "action", "ADD", "functionSelectors", List.of("0x7a0ed627", "0x00000000"))));
        String tx = hash(block * 1000 + logIndex);
        return new StoredEvent(chainId + ":" + tx + ":" + logIndex, chainId == CHAIN ? "localhost" : "base-sepolia",
                chainId, diamond, emitter, type, block, hash(block), tx, logIndex, args);
    }

    private void store(long chainId, long block, List<StoredEvent> events) {
        sink.apply(new ChangeSet(chainId == CHAIN ? "localhost" : "base-sepolia", chainId, events, List.of(),
                List.of(new Checkpoint(Checkpoint.allScope(), block, hash(block), List.of(new BlockId(block, hash(block)))))));
    }

    @Test
    void nothingStoredReadsEmpty() {
        assertThat(reader.storedEvents(CHAIN, D1)).isEmpty();
    }

    @Test
    void oneDiamondsEventsInChainOrderWhateverTheOrderTheyWereWritten() {
        StoredEvent created = event(CHAIN, D1, FACTORY, 10, 3, EventType.DIAMOND_CREATED);
        StoredEvent cut = event(CHAIN, D1, D1, 10, 0, EventType.DIAMOND_CUT);
        StoredEvent owner = event(CHAIN, D1, D1, 10, 1, EventType.OWNERSHIP_TRANSFERRED);
        StoredEvent later = event(CHAIN, D1, D1, 12, 0, EventType.DIAMOND_CUT_PROPOSED);
        StoredEvent otherDiamond = event(CHAIN, D2, D2, 11, 0, EventType.DIAMOND_CUT);
        StoredEvent otherChain = event(OTHER_CHAIN, D1, D1, 11, 0, EventType.DIAMOND_CUT);
        store(CHAIN, 12, List.of(later, created, otherDiamond));
        store(CHAIN, 12, List.of(owner, cut));
        store(OTHER_CHAIN, 11, List.of(otherChain));
        assertThat(reader.storedEvents(CHAIN, D1)).containsExactly(cut, owner, created, later);
        assertThat(reader.storedEvents(CHAIN, D2)).containsExactly(otherDiamond);
        assertThat(reader.storedEvents(OTHER_CHAIN, D1)).containsExactly(otherChain);
    }

    @Test
    void aRollbackAndAResetAreSeen() {
        List<StoredEvent> events = new ArrayList<>();
        for (int b = 1; b <= 6; b++) {
            events.add(event(CHAIN, D1, D1, b, 0, EventType.DIAMOND_CUT));
        }
        store(CHAIN, 6, events);
        sink.rollback(CHAIN, new BlockId(4, hash(4)));
        assertThat(reader.storedEvents(CHAIN, D1)).containsExactlyElementsOf(events.subList(0, 4));
        sink.reset(CHAIN);
        assertThat(reader.storedEvents(CHAIN, D1)).isEmpty();
    }
}
