package io.gemforce.sync.examples.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.abi.KnownSignatures;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.DiamondRecord;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change set's diamonds go in a few statements whatever their number, with the sink's semantics;
 * on SQLite here, on PostgreSQL in {@link JdbcDiamondWritesPostgresIT}.
 */
class JdbcDiamondWritesTest {
    private static final Selector A = Selector.of("0xa9059cbb");
    private static final Selector B = Selector.of("0x8da5cb5b");

    @TempDir
    Path dir;

    /** A fresh sink holding nothing for chain 31337. */
    protected JdbcStateSink open(String name) {
        return JdbcStateSink.sqlite(dir.resolve(name + ".sqlite"));
    }

    /** A connection to an empty store with the sink's tables. */
    protected Connection connection() throws Exception {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("count.sqlite"));
        JdbcSchema.create(c);
        return c;
    }

    /** Statements that read the stored records of {@code n} diamonds: facets and diamonds, 500 addresses a query. */
    protected int readStatements(int n) {
        return 2 * ((n + JdbcRows.ADDRESSES_PER_QUERY - 1) / JdbcRows.ADDRESSES_PER_QUERY);
    }

    private static Address address(int i) {
        return Address.of(String.format("0x%040x", 0xd000_0000L + i));
    }

    private static DiamondRecord diamond(int i, long block, List<Selector> selectors) {
        List<Facet> facets = selectors.isEmpty() ? List.of() : List.of(new Facet(address(100_000 + i), selectors),
                new Facet(address(200_000 + i), List.of(Selector.of(String.format("0x%08x", i)))));
        return new DiamondRecord("localhost", 31337, address(i), "G", "Gem", null, null, facets, 1L, "0x" + "1".repeat(64),
                block, "0x" + "2".repeat(64), null, true);
    }

    private static List<DiamondRecord> diamonds(int n, long block) {
        List<DiamondRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(diamond(i, block, List.of(A)));
        }
        return out;
    }

    @Test
    void moreDiamondsThanOneQueryReadsAreStoredReplacedAndCounted() {
        int n = 2 * JdbcRows.ADDRESSES_PER_QUERY + 7;
        try (JdbcStateSink sink = open("many")) {
            assertThat(sink.apply(new ChangeSet("localhost", 31337, List.of(), diamonds(n, 5), List.of())).diamondsChanged())
                    .isEqualTo(n);
            assertThat(sink.diamonds(31337)).containsExactlyInAnyOrderElementsOf(diamonds(n, 5));
            assertThat(sink.apply(new ChangeSet("localhost", 31337, List.of(), diamonds(n, 5), List.of())).diamondsChanged())
                    .as("the same records again").isZero();

            List<DiamondRecord> next = new ArrayList<>(diamonds(n, 5));
            next.set(3, diamond(3, 6, List.of(A, B))); // a facet grows
            next.set(n - 1, diamond(n - 1, 6, List.of())); // every facet removed
            assertThat(sink.apply(new ChangeSet("localhost", 31337, List.of(), next, List.of())).diamondsChanged())
                    .isEqualTo(2);
            assertThat(sink.diamonds(31337)).containsExactlyInAnyOrderElementsOf(next);
        }
    }

    @Test
    void aDiamondGivenTwiceEndsAsItsLastRecordAndCountsAsOneByOne() {
        try (JdbcStateSink sink = open("twice")) {
            DiamondRecord first = diamond(1, 5, List.of(A));
            DiamondRecord second = diamond(1, 6, List.of(A, B));
            assertThat(sink.apply(new ChangeSet("localhost", 31337, List.of(), List.of(first, second), List.of()))
                    .diamondsChanged()).isEqualTo(2);
            assertThat(sink.diamonds(31337)).containsExactly(second);
            // unchanged, then changed back: one change, and the store holds the first again
            assertThat(sink.apply(new ChangeSet("localhost", 31337, List.of(), List.of(second, first), List.of()))
                    .diamondsChanged()).isEqualTo(1);
            assertThat(sink.diamonds(31337)).containsExactly(first);
        }
    }

    @Test
    void theStatementsAreAFewPerChangeSetNotAFewPerDiamond() throws Exception {
        int n = 2 * JdbcRows.ADDRESSES_PER_QUERY + 7;
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        try (Connection real = connection()) {
            Connection counted = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        calls.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            JdbcWrites writes = new JdbcWrites(KnownSignatures.standard());
            assertThat(writes.diamonds(counted, diamonds(n, 5))).isEqualTo(n);
            // the reads, then the upserts, the facet deletes and the facet inserts
            assertThat(calls.get("prepareStatement").get()).isEqualTo(readStatements(n) + 3);
            calls.clear();
            assertThat(writes.diamonds(counted, diamonds(n, 5))).isZero();
            // the reads, then one batch naming the unchanged diamonds' functions
            assertThat(calls.get("prepareStatement").get()).isEqualTo(readStatements(n) + 1);
        }
    }
}
