package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.examples.jdbc.JdbcStateSink;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.AnvilExtension;
import io.gemforce.sync.testbed.GemforceContracts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same chain synced twice, each time in a fresh JVM, gives byte-for-byte equal stores: the
 * CLI's {@code sync-all} into two SQLite files (every row of every table compared as text), and a
 * sync into memory whose contents are written as JSON (the two files compared byte for byte). A
 * fresh JVM matters: {@code Map.of}/{@code Map.copyOf} iteration order, which decided the key order
 * of stored JSON before, changes from one JVM to the next but never within one.
 */
@ExtendWith(AnvilExtension.class)
class DeterminismIT {
    private static final List<String> TABLES = List.of("gs_diamond_event ORDER BY uid",
            "gs_diamond ORDER BY chain_id, address", "gs_facet ORDER BY chain_id, diamond_address, position",
            "gs_sync_state ORDER BY chain_id, scope");

    @TempDir
    Path dir;

    @Test
    void twoSyncsInSeparateJvmsGiveByteForByteEqualStores(Anvil anvil) throws Exception {
        anvil.reset();
        GemforceContracts g = new GemforceContracts(anvil).deployAll();
        String owner = anvil.accounts().get(0);
        String other = anvil.accounts().get(1);
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        Map<String, Selector> b = GemforceContracts.selectors("TestFacetB");
        Address d1 = g.createDiamond(owner, "DET1", "Determinism one");
        Address d2 = g.createDiamond(owner, "DET2", "Determinism \"two\" \u00fc");
        Address d3 = g.createDiamond(other, "DET3", "Determinism three");
        g.diamondCut(owner, d1, List.of(FacetCut.add(g.facetA, List.of(a.get("a01()"), a.get("a02()"), a.get("a03()"))),
                FacetCut.add(g.facetB, List.of(b.get("b01()")))));
        anvil.mine(7);
        g.diamondCut(owner, d1, List.of(FacetCut.replace(g.facetB, List.of(a.get("a01()"))),
                FacetCut.remove(List.of(a.get("a02()")))));
        g.propose(owner, d2, List.of(FacetCut.add(g.facetA, List.of(a.get("a04()")))));
        g.cancel(owner, d2);
        anvil.mine(11);
        g.propose(owner, d1, List.of(FacetCut.add(g.facetA, List.of(a.get("a05()"), a.get("a06()")))));
        g.transferOwnership(other, d3, owner);
        anvil.mine(13);
        long head = anvil.blockNumber();

        List<String> sqlite = new ArrayList<>();
        List<byte[]> memory = new ArrayList<>();
        for (int run = 1; run <= 2; run++) {
            Path db = dir.resolve("run-" + run + ".sqlite");
            child("cli-" + run, GemforceSyncCli.class, "sync-all", "--network", "localhost", "--rpc-url", anvil.rpcUrl(),
                    "--store", "jdbc:sqlite:" + db, "--factory", g.factory.hex(), "--start-block",
                    String.valueOf(g.factoryBlock), "--to-block", String.valueOf(head), "--max-block-range", "10",
                    "--no-progress");
            sqlite.add(dump(db));
            Path json = dir.resolve("memory-" + run + ".json");
            child("memory-" + run, InMemorySyncMain.class, anvil.rpcUrl(), g.factory.hex(),
                    String.valueOf(g.factoryBlock), String.valueOf(head), json.toString());
            memory.add(Files.readAllBytes(json));
        }

        assertThat(sqlite.get(0)).as("the first store holds the scenario")
                .contains("DiamondCreated", "DiamondCut", "DiamondCutProposed", "DiamondCutCancelled", "OwnershipTransferred")
                .contains("{\"diamondCut\":[{\"facetAddress\":\"" + g.facetA.hex() + "\",\"action\":\"ADD\",\"functionSelectors\":[")
                .contains("{\"factory\":\"" + g.factory.hex() + "\",\"diamond\":\"" + d2.hex() + "\",\"symbolHash\":")
                .contains("recent=[{\"number\":");
        assertThat(sqlite.get(1)).as("SQLite stores of two JVMs").isEqualTo(sqlite.get(0));
        assertThat(new String(memory.get(1), StandardCharsets.UTF_8)).as("in-memory stores of two JVMs, as JSON")
                .isEqualTo(new String(memory.get(0), StandardCharsets.UTF_8));
        assertThat(memory.get(1)).isEqualTo(memory.get(0));
        try (JdbcStateSink stored = JdbcStateSink.sqlite(dir.resolve("run-1.sqlite"))) {
            assertThat(new ObjectMapper().writeValueAsString(stored.contents(31337)))
                    .as("the SQLite store read back equals the in-memory store, byte for byte")
                    .isEqualTo(new String(memory.get(0), StandardCharsets.UTF_8));
        }
    }

    /** Runs {@code main} of {@code mainClass} in a new JVM and waits for it to succeed. */
    private void child(String name, Class<?> mainClass, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not finish: " + Files.readString(log));
        }
        assertThat(p.exitValue()).as(name + ": " + Files.readString(log)).isZero();
    }

    /** Every row of every table, in key order, one line per row, as the database holds it. */
    private static String dump(Path db) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            for (String table : TABLES) {
                out.append("# ").append(table).append('\n');
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            out.append(i > 1 ? "\t" : "").append(md.getColumnName(i)).append('=').append(rs.getString(i));
                        }
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }
}
