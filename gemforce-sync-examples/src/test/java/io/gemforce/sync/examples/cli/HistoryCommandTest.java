package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.examples.jdbc.JdbcStateSink;
import io.gemforce.sync.testkit.GemforceScenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code history} on a SQLite store synced from the scripted Gemforce scenario; no node involved. */
class HistoryCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final GemforceScenario s = new GemforceScenario().build();
    @TempDir
    Path dir;
    private String store;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Result(GemforceSyncCli.run(args), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    @BeforeEach
    void syncTheScenario() {
        store = "jdbc:sqlite:" + dir.resolve("h.sqlite");
        try (JdbcStateSink sink = JdbcStateSink.open(store, null, null)) {
            DiamondSyncer.builder().chainSource(s.chain).sink(sink).networks(s.networks()).build().syncAll("localhost");
        }
    }

    @Test
    void atEveryBlockTheJsonAnswerEqualsTheLoupeThen() throws Exception {
        for (long b = 0; b <= 20; b++) {
            Result r = run("history", "--diamond", s.d1.hex(), "--network", "localhost", "--store", store,
                    "--at-block", String.valueOf(b), "--json");
            assertThat(r.code()).as(r.err()).isZero();
            JsonNode n = JSON.readTree(r.out());
            assertThat(n.get("block").asLong()).isEqualTo(b);
            if (!s.chain.hasCode(s.d1, b)) {
                assertThat(n.get("exists").asBoolean()).isFalse();
                continue;
            }
            List<Facet> facets = new ArrayList<>();
            for (JsonNode f : n.get("facets")) {
                List<Selector> sels = new ArrayList<>();
                f.get("selectors").forEach(x -> sels.add(Selector.of(x.asText())));
                facets.add(new Facet(io.gemforce.sync.diamond.Address.of(f.get("facetAddress").asText()), sels));
            }
            assertThat(DiamondState.of(facets).selectorMap()).as("block %d", b)
                    .isEqualTo(DiamondState.of(s.chain.facets(s.d1, b)).selectorMap());
            assertThat(n.get("owner").asText()).isEqualTo(s.chain.owner(s.d1, b).orElseThrow().hex());
        }
    }

    @Test
    void theTimelineAndATextStateAreReadable() {
        Result t = run("history", "--diamond", s.d2.hex(), "--network", "31337", "--store", store);
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(t.out()).contains("6 stored events, synced to block 20").contains("CREATED")
                .contains("GEM2 \"Gem Two\" by factory " + s.factory.hex()).contains("PROPOSED").contains("CANCELLED")
                .contains("-> 3 facets, 11 selectors after block 3").doesNotContain("not available");
        assertThat(t.out().lines().filter(l -> l.startsWith("block ")).count()).isEqualTo(6);
        Result at = run("history", "--diamond", s.d1.hex(), "--network", "localhost", "--store", store, "--at-block", "4");
        assertThat(at.code()).as(at.err()).isZero();
        assertThat(at.out()).contains("at block 4: owner " + s.caller.hex()).contains("0x7a0ed627  facets()")
                .contains("ERC-165: IERC165 0x01ffc9a7, IDiamondLoupe 0x48e2b093");
        Result before = run("history", "--diamond", s.d1.hex(), "--network", "localhost", "--store", store, "--at-block", "1");
        assertThat(before.out()).contains("did not exist yet at block 1");
    }

    @Test
    void whatTheStoreCannotAnswerIsAnErrorNotAGuess() throws Exception {
        Result later = run("history", "--diamond", s.d1.hex(), "--network", "localhost", "--store", store, "--at-block", "21");
        assertThat(later.code()).isEqualTo(1);
        assertThat(later.err()).contains("synced to block 20 only");
        Result unknown = run("history", "--diamond", s.newOwner.hex(), "--network", "localhost", "--store", store);
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("holds nothing");
        Path missing = dir.resolve("missing.sqlite");
        Result noStore = run("history", "--diamond", s.d1.hex(), "--network", "localhost", "--store", "jdbc:sqlite:" + missing);
        assertThat(noStore.code()).isEqualTo(2);
        assertThat(Files.exists(missing)).isFalse();
        assertThat(run("history", "--diamond", "0x1234", "--network", "localhost", "--store", store).code()).isEqualTo(2);
        assertThat(run("history", "--diamond", s.d1.hex(), "--network", "nope", "--store", store).code()).isEqualTo(2);
        assertThat(run("history", "--diamond", s.d1.hex(), "--network", "localhost", "--store", store, "--at-block", "-1")
                .code()).isEqualTo(2);
    }

    @Test
    void aBadAbiFileIsBadInputNamingTheFileBeforeAnyConnection() throws Exception {
        Path bad = dir.resolve("abis/Broken.json");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "{\"abi\": [ {");
        Result h = run("history", "--diamond", s.d1.hex(), "--network", "localhost", "--store", store, "--abi",
                bad.getParent().toString());
        assertThat(h.code()).isEqualTo(2);
        assertThat(h.err()).contains(bad.toString()).contains("not valid JSON");
        Path neverCreated = dir.resolve("never.sqlite");
        Result sync = run("sync-all", "--network", "localhost", "--rpc-url", "http://127.0.0.1:9", "--store",
                "jdbc:sqlite:" + neverCreated, "--abi", bad.toString(), "--no-progress");
        assertThat(sync.code()).isEqualTo(2);
        assertThat(sync.err()).contains("Broken.json");
        assertThat(Files.exists(neverCreated)).isFalse();
    }
}
