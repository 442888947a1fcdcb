package io.gemforce.sync.examples.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.abi.KnownSignatures;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.DiamondRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gs_facet.functions: the names the sink was opened with, kept up to date, in stores made before the column too. */
class JdbcFacetFunctionsTest {
    private static final Address D = Address.of("0x00000000000000000000000000000000000000d1");
    private static final Address F = Address.of("0x00000000000000000000000000000000000000f1");
    private static final Selector TRANSFER = Selector.of("0xa9059cbb");
    private static final Selector OWNER = Selector.of("0x8da5cb5b");

    @TempDir
    Path dir;

    private static ChangeSet withDiamond(long block) {
        DiamondRecord d = new DiamondRecord("localhost", 31337, D, "G", "Gem", null, null,
                List.of(new Facet(F, List.of(TRANSFER, Selector.of("0xdeadbeef"), OWNER))), 1L, "0x" + "1".repeat(64), block,
                "0x" + "2".repeat(64), null, true);
        return new ChangeSet("localhost", 31337, List.of(), List.of(d), List.of());
    }

    @Test
    void theNamesFollowTheSignaturesTheSinkWasOpenedWith() {
        String url = "jdbc:sqlite:" + dir.resolve("f.sqlite");
        try (JdbcStateSink standard = JdbcStateSink.open(url, null, null)) {
            standard.apply(withDiamond(5));
            assertThat(standard.storedFunctions(31337, D, F)).containsExactly("owner()");
        }
        KnownSignatures erc20 = KnownSignatures.builder().addSignatures(List.of("transfer(address,uint256)")).build();
        try (JdbcStateSink named = JdbcStateSink.open(url, null, null, erc20)) {
            assertThat(named.apply(withDiamond(5)).diamondsChanged()).as("the record itself is unchanged").isZero();
            assertThat(named.storedFunctions(31337, D, F)).containsExactly("transfer(address,uint256)", "owner()");
        }
    }

    @Test
    void aStoreMadeBeforeTheColumnExistedGetsIt() throws Exception {
        Path file = dir.resolve("old.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE gs_facet (chain_id BIGINT NOT NULL, diamond_address VARCHAR(42) NOT NULL,"
                    + " facet_address VARCHAR(42) NOT NULL, position INTEGER NOT NULL, selectors TEXT NOT NULL,"
                    + " PRIMARY KEY (chain_id, diamond_address, facet_address))");
        }
        try (JdbcStateSink sink = JdbcStateSink.sqlite(file)) {
            sink.apply(withDiamond(5));
            assertThat(sink.diamond(31337, D).orElseThrow().facets()).hasSize(1);
            assertThat(sink.storedFunctions(31337, D, F)).containsExactly("owner()");
        }
    }
}
