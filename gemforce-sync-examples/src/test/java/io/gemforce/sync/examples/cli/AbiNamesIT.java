package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.examples.cli.HistoryCommandTest.Result;
import io.gemforce.sync.examples.jdbc.JdbcStateSink;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.AnvilExtension;
import io.gemforce.sync.testbed.GemforceContracts;
import io.gemforce.sync.testbed.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the project's contract artifacts given as {@code --abi}, the CLI's facet table and the
 * store's {@code functions} name every selector of the Gemforce diamonds on a real Anvil node;
 * without them, the test facets' selectors stay nameless.
 */
@ExtendWith(AnvilExtension.class)
class AbiNamesIT {
    private static final Pattern SELECTOR_LINE = Pattern.compile("^    0x[0-9a-f]{8}  .*$");
    private static final Path ARTIFACTS = RepoRoot.find().resolve("contracts").resolve("artifacts");

    @TempDir
    Path dir;

    private static List<String> selectorLines(String out) {
        return out.lines().filter(l -> SELECTOR_LINE.matcher(l).matches()).toList();
    }

    @Test
    void theDemosTableNamesEverySelectorOfItsDiamondsFromTheArtifacts() throws Exception {
        Result named = HistoryCommandTest.run("demo", "--db", dir.resolve("named.sqlite").toString(), "--abi", ARTIFACTS.toString());
        assertThat(named.code()).as(named.err()).isZero();
        List<String> lines = selectorLines(named.out());
        assertThat(lines).hasSizeGreaterThan(40);
        assertThat(lines).noneMatch(l -> l.contains(FacetTable.NO_ABI));
        assertThat(named.out()).contains("a01()").contains("a08()").contains("upgradeDelay()")
                .contains("ERC-165: IERC173 0x7f5828d0");

        Path erc20Only = dir.resolve("erc20");
        Files.createDirectories(erc20Only);
        Files.writeString(erc20Only.resolve("IERC20.json"), "[{\"type\":\"function\",\"name\":\"transfer\","
                + "\"inputs\":[{\"type\":\"address\"},{\"type\":\"uint256\"}]}]");
        Result other = HistoryCommandTest.run("demo", "--db", dir.resolve("other.sqlite").toString(), "--abi", erc20Only.toString());
        assertThat(other.code()).as(other.err()).isZero();
        assertThat(selectorLines(other.out())).hasSameSizeAs(lines)
                .anyMatch(l -> l.contains(FacetTable.NO_ABI)).noneMatch(l -> l.contains("a01()"));
    }

    @Test
    void syncAllWithAbiNamesEverySelectorInTheTableAndInTheStore(Anvil anvil) {
        anvil.reset();
        GemforceContracts g = new GemforceContracts(anvil).deployAll();
        Address d1 = g.createDiamond(Anvil.DEPLOYER, "ABI1", "Abi One");
        Address d2 = g.createDiamond(Anvil.DEPLOYER, "ABI2", "Abi Two");
        List<Selector> a = new ArrayList<>(GemforceContracts.selectors("TestFacetA").values());
        List<Selector> c = new ArrayList<>(GemforceContracts.selectors("TestFacetC").values());
        g.diamondCut(Anvil.DEPLOYER, d1, List.of(FacetCut.add(g.facetA, a.subList(0, 22)))); // all but supportsInterface
        g.diamondCut(Anvil.DEPLOYER, d2, List.of(FacetCut.add(g.facetC, c)));
        String[] common = {"--network", "anvil", "--rpc-url", anvil.rpcUrl(), "--factory", g.factory.hex(),
            "--start-block", String.valueOf(g.factoryBlock), "--no-progress", "--facets"};

        String plain = "jdbc:sqlite:" + dir.resolve("plain.sqlite");
        Result without = HistoryCommandTest.run(concat(new String[] {"sync-all", "--store", plain}, common));
        assertThat(without.code()).as(without.err()).isZero();
        assertThat(selectorLines(without.out())).anyMatch(l -> l.contains(FacetTable.NO_ABI));

        String named = "jdbc:sqlite:" + dir.resolve("named.sqlite");
        Result with = HistoryCommandTest.run(concat(new String[] {"sync-all", "--store", named, "--abi", ARTIFACTS.toString()},
                common));
        assertThat(with.code()).as(with.err()).isZero();
        assertThat(with.out()).contains("\"diamondsSynced\":2");
        List<String> lines = selectorLines(with.out());
        assertThat(lines).hasSameSizeAs(selectorLines(without.out())).noneMatch(l -> l.contains(FacetTable.NO_ABI));
        assertThat(with.out()).contains("(TestFacetC)").contains("(TestFacetA)").contains("emitTransfer(address,address,uint256)");

        try (JdbcStateSink sink = JdbcStateSink.open(named, null, null)) {
            int selectors = 0;
            for (DiamondRecord d : sink.diamonds(31337)) {
                for (Facet f : d.facets()) {
                    assertThat(sink.storedFunctions(31337, d.address(), f.facetAddress())).as("functions of %s", f)
                            .hasSameSizeAs(f.selectors()).doesNotContainNull();
                    selectors += f.selectors().size();
                }
            }
            assertThat(selectors).isEqualTo(lines.size());
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
