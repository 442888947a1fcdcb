package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages for bad input, without any service. */
class CliTest {
    @TempDir
    Path dir;

    private String store() {
        return "jdbc:sqlite:" + dir.resolve("cli.sqlite");
    }

    private int run(String... args) {
        return GemforceSyncCli.run(args);
    }

    @Test
    void badInputExitsWithTwo() {
        assertThat(run("sync-all", "--network", "nope", "--rpc-url", "http://127.0.0.1:9", "--store", store())).isEqualTo(2);
        assertThat(run("sync-all", "--network", "localhost", "--from-block", "abc", "--rpc-url", "http://127.0.0.1:9")).isEqualTo(2);
        assertThat(run("sync-all", "--network", "localhost", "--from-block", "9", "--to-block", "3", "--rpc-url",
                "http://127.0.0.1:9", "--store", store())).isEqualTo(2);
        assertThat(run("sync-diamond", "--address", "0x1234", "--network", "localhost", "--rpc-url", "http://127.0.0.1:9",
                "--store", store())).isEqualTo(2);
        assertThat(run("sync-events", "--address", "0x" + "a".repeat(40), "--network", "localhost", "--event-type", "Transfer",
                "--rpc-url", "http://127.0.0.1:9", "--store", store())).isEqualTo(2);
        assertThat(run("sync-all")).isEqualTo(2);
        assertThat(run("sync-all", "--network", "localhost", "--rpc-url", "ftp://x", "--store", store())).isEqualTo(2);
    }

    @Test
    void theLiveDemoOptionsGoWithFollow() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(run("demo", "--parse")).isEqualTo(2);
            assertThat(run("demo", "--duration", "5")).isEqualTo(2);
            assertThat(run("demo", "--follow", "--block-time", "0")).isEqualTo(2);
            assertThat(run("demo", "--follow", "--duration", "0")).isEqualTo(2);
        } finally {
            System.setErr(saved);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("--parse and --duration go with --follow")
                .contains("--duration and --block-time must be at least 1 s");
    }

    @Test
    void anUnreachableNodeExitsWithOneAndHidesTheKey() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = run("sync-all", "--network", "localhost", "--rpc-url", "http://127.0.0.1:9/v2/CLIKEYSECRET123456",
                    "--store", store(), "--no-progress");
            assertThat(code).isEqualTo(1);
        } finally {
            System.setErr(saved);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("error:").doesNotContain("CLIKEYSECRET123456");
    }

    @Test
    void versionIsTheProjectVersion() {
        String expected = System.getProperty("gemforce.project.version");
        assertThat(expected).as("gemforce.project.version, set by the POM's surefire configuration").isNotBlank();
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = run("--version");
        } finally {
            System.setOut(saved);
        }
        assertThat(code).isZero();
        assertThat(captured.toString(StandardCharsets.UTF_8).trim()).isEqualTo("gemforce-sync " + expected);
    }
}
