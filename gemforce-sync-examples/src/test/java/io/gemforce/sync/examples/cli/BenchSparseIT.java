package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code bench-sparse} end to end on a tiny chain: it builds the chain, reads it raw and syncs it
 * through the latency proxy (in process, and with the CLI in a child JVM), checks each store against
 * the loupe and the cuts made, and prints the table. Times are not asserted (they depend on the
 * machine); the program's own verification is (exit 0, "verified").
 */
class BenchSparseIT {

    @Test
    void aTinyRunIsVerifiedAndPrintsTheBoundAndTheBudget() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = GemforceSyncCli.run("bench-sparse", "--diamonds", "3", "--events", "10", "--blocks", "2000",
                    "--cap", "500", "--latency-ms", "5", "--no-jvm-start");
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8) + table).isZero();
        assertThat(table).contains("lower bound = ceil(2000 / 500) / 4 x 5 ms")
                .containsPattern("syncAll -> in-memory sink .* yes \\(")
                .contains("requests by method").contains("run again with nothing new")
                .containsPattern("\\(r4\\) raw eth_getLogs .* baseline \\(\\d+ logs counted\\)")
                .containsPattern("syncAll -> in-memory sink .* \\d+\\.\\d\\d +\\d+ +\\d+ +yes")
                .containsPattern("sync-all CLI \\(child JVM\\) -> SQLite .* yes \\(\\d+ events, 3 diamonds")
                // the same against the node's answers replayed from memory (the bound's model), verified alike
                .containsPattern("\\(r4\\) raw eth_getLogs, replayed .* baseline \\(\\d+ logs counted\\)")
                .containsPattern("syncAll -> in-memory sink, replayed .* yes \\(\\d+ events, 3 diamonds")
                .containsPattern("sync-all CLI \\(child JVM\\) -> SQLite, replayed .* yes \\(\\d+ events, 3 diamonds")
                .containsPattern("syncAll -> in-memory sink, replayed .*calls replayed [1-9]\\d*, asked of the node \\d+");
    }
}
