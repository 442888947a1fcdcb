package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench-parse} end to end on a small load: it starts PostgreSQL and Parse Server, runs the
 * three variants and prints the table. Times are not asserted (they depend on the machine).
 */
class BenchParseIT {
    @TempDir
    Path logs;

    @Test
    void aSmallRunPrintsTheTable() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = GemforceSyncCli.run("bench-parse", "--events", "200", "--batch", "50", "--log-dir", logs.toString());
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(table).contains("bench-parse: 200 DiamondCut events per variant, batch size 50")
                .containsPattern("variant +objects +seconds +objects/s +ratio +HTTP requests")
                .containsPattern("\\(a\\) raw POST /batch \\(transaction\\) +200 .* 1\\.00 +4 \\(4 batch\\)")
                .containsPattern("\\(b\\) ParseStateSink.apply +200 .*\\(4 batch\\) +200 inserted")
                .containsPattern("\\(c\\) ParseStateSink.apply, replay +200 .*\\(0 batch\\) +0 inserted");
        // the servers wrote their logs there, and the master key (LocalParseServer's "gf-mk-<hex>") is in none
        assertThat(logs.resolve("parse-server.log")).exists();
        assertThat(logs.resolve("postgres.log")).exists();
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain("gf-mk-");
            }
        }
        assertThat(table + err.toString(StandardCharsets.UTF_8)).doesNotContain("gf-mk-");
    }

    @Test
    void badSizesAreBadInput() {
        assertThat(GemforceSyncCli.run("bench-parse", "--batch", "0")).isEqualTo(2);
        assertThat(GemforceSyncCli.run("bench-parse", "--events", "-1")).isEqualTo(2);
    }

    @Test
    void theCommandIsRegistered() {
        assertThat(new CommandLine(new GemforceSyncCli()).getSubcommands().keySet()).contains("bench-parse");
    }
}
