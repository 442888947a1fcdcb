package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code bench-follow} end to end on a few blocks: polling and a WebSocket, each run verified by the
 * program (every cut heard once, the store equal to a fresh sync). Times are printed, not asserted.
 */
class BenchFollowIT {

    @Test
    void aShortRunHearsEveryCutOnceBothWays() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = GemforceSyncCli.run("bench-follow", "--changes", "3", "--poll-interval", "200");
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8) + table).isZero();
        assertThat(table).contains("poll interval + 2 round trips").containsPattern("\\| poll \\| 3 \\| .* \\| yes \\|")
                .containsPattern("\\| ws \\| 3 \\| .* \\| yes \\|");
    }
}
