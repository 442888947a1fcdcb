package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.examples.jdbc.JdbcStateSink;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.AnvilExtension;
import io.gemforce.sync.testbed.GemforceContracts;
import io.gemforce.sync.diamond.Address;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI against a real Anvil node: the demo, and the sync commands with their exit codes. */
@ExtendWith(AnvilExtension.class)
class CliIT {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    private Result run(String... args) {
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

    @Test
    void theDemoSyncsThreeDiamondsAndPrintsThem() {
        Result r = run("demo", "--db", dir.resolve("demo.sqlite").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"diamondsSynced\":3").contains("\"status\":\"success\"")
                .contains("GEM1").contains("GEM2").contains("GEM3").contains("facets()")
                .contains("pending upgrade: proposed by");
    }

    @Test
    void syncCommandsAgainstANode(Anvil anvil) {
        anvil.reset();
        GemforceContracts g = new GemforceContracts(anvil).deployAll();
        Address d = g.createDiamond(Anvil.DEPLOYER, "CLI", "Cli");
        String store = "jdbc:sqlite:" + dir.resolve("cli.sqlite");
        Result all = run("sync-all", "--network", "anvil", "--rpc-url", anvil.rpcUrl(), "--store", store,
                "--factory", g.factory.hex(), "--start-block", String.valueOf(g.factoryBlock), "--no-progress");
        assertThat(all.code()).as(all.err()).isZero();
        assertThat(all.out()).contains("\"diamondsSynced\":1").contains("\"eventsIndexed\":3");
        try (JdbcStateSink sink = JdbcStateSink.open(store, null, null)) {
            assertThat(sink.diamond(31337, d)).isPresent();
        }
        Result again = run("sync-events", "--address", d.hex(), "--network", "31337", "--rpc-url", anvil.rpcUrl(),
                "--store", store, "--event-type", "DiamondCut");
        assertThat(again.code()).isZero();
        assertThat(again.out().trim()).as("already stored by sync-all").isEqualTo("{\"eventsIndexed\":0}");
        Result events = run("sync-events", "--address", d.hex(), "--network", "31337", "--rpc-url", anvil.rpcUrl(),
                "--store", "jdbc:sqlite:" + dir.resolve("events.sqlite"), "--event-type", "DiamondCut");
        assertThat(events.code()).isZero();
        assertThat(events.out().trim()).isEqualTo("{\"eventsIndexed\":1}");
        Result notDiamond = run("sync-diamond", "--address", g.facetA.hex(), "--network", "localhost", "--rpc-url",
                anvil.rpcUrl(), "--store", store);
        assertThat(notDiamond.code()).isEqualTo(2);
        assertThat(notDiamond.err()).contains("not an EIP-2535 diamond");
        anvil.mine(50);
        Result partial = run("sync-diamond", "--address", d.hex(), "--network", "localhost", "--rpc-url", anvil.rpcUrl(),
                "--store", store, "--time-budget", "0");
        assertThat(partial.code()).as(partial.out()).isEqualTo(3);
        assertThat(partial.out()).contains("\"status\":\"partial\"");
    }

    @Test
    void helpListsTheCommands() {
        assertThat(new CommandLine(new GemforceSyncCli()).getSubcommands().keySet())
                .contains("demo", "sync-all", "sync-diamond", "sync-events", "history", "bench");
    }

    @Test
    void theShadedJarPrintsTheProjectVersion() throws Exception {
        String version = System.getProperty("gemforce.project.version");
        Path jar = Path.of(System.getProperty("gemforce.cli.jar", "target/gemforce-sync.jar"));
        assertThat(version).as("gemforce.project.version, set by the POM's failsafe configuration").isNotBlank();
        assertThat(jar).as("the shaded CLI jar, built in the package phase").isRegularFile();
        Path out = dir.resolve("version.out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--version").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("java -jar gemforce-sync.jar --version ends").isTrue();
        assertThat(p.exitValue()).as(Files.readString(out)).isZero();
        assertThat(Files.readString(out).trim()).isEqualTo("gemforce-sync " + version);
    }
}
