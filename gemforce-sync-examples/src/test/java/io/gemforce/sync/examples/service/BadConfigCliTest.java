package io.gemforce.sync.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.examples.cli.GemforceSyncCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code follow --config} with a bad file: exit 2, the place named, and nothing started (no store created). */
class BadConfigCliTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown network|  localhost:|  atlantis:|networks.atlantis: unknown network",
        "missing env var|- http://127.0.0.1:1|- http://127.0.0.1:1/${env:GEMFORCE_TEST_UNSET_VAR}|environment variable GEMFORCE_TEST_UNSET_VAR is not set",
        "malformed URL|- http://127.0.0.1:1|- 127.0.0.1:1|rpcUrls[0]: not an http(s) URL",
        "duplicate network|  base:|  anvil:|the same network as localhost",
        "unknown key|    mode: head|    mod: head|networks.localhost.mod: unknown key",
    })
    void aBadFileStopsBeforeAnythingStarts(String name, String from, String to, String expected) throws Exception {
        Path store = dir.resolve("never.sqlite");
        String good = """
                store:
                  jdbc:
                    url: jdbc:sqlite:%s
                networks:
                  localhost:
                    rpcUrls:
                      - http://127.0.0.1:1
                    mode: head
                  base:
                    rpcUrls: [http://127.0.0.1:2]
                """.formatted(store);
        Path file = dir.resolve("gemforce.yaml");
        Files.writeString(file, good.replace(from, to));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = GemforceSyncCli.run("follow", "--config", file.toString());
        } finally {
            System.setErr(saved);
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(message).isEqualTo(2);
        assertThat(message).contains(file + ":").contains(expected);
        assertThat(store).as("nothing started").doesNotExist();
    }
}
