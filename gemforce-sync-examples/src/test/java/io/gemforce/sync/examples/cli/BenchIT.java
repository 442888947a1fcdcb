package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code bench} end to end on a small chain: every variant (raw baselines, syncEvents and syncAll into
 * the in-memory sink, SQLite and PostgreSQL) runs against a real Anvil node, and the program checks
 * what each sync stored against the raw read's count. Times are not asserted (they depend on the
 * machine); the table's shape and the program's own verification are.
 */
class BenchIT {

    @Test
    void aSmallRunStoresWhatTheRawReadCountsInEverySinkAndPrintsTheTable() {
        HistoryCommandTest.Result run = HistoryCommandTest.run("bench", "--events", "1500", "--per-tx", "500");
        int code = run.code();
        String table = run.out();
        assertThat(code).as(run.err() + table).isZero();
        assertThat(table).doesNotContain("CHECK FAILED")
                .contains("cpu floor").contains("wall/floor").contains("vs paired: against a raw read with 4 in flight")
                .containsPattern("\\(a1\\) raw eth_getLogs, 1 in flight +1501 ")
                .containsPattern("\\(a4\\) raw eth_getLogs, 4 in flight +1501 ");
        for (String sink : new String[] {"in-memory sink", "JDBC sink \\(SQLite\\)", "JDBC sink \\(PostgreSQL\\)"}) {
            assertThat(table).containsPattern("syncEvents -> " + sink + " +1501 .* success")
                    .containsPattern("syncAll -> " + sink + " +1504 .* success");
        }
        // each sync row's wall/floor is a number: its CPU (the SDK's and the node's) was measured
        Matcher m = Pattern.compile("(?m)^sync\\S* -> .* (\\d+\\.\\d\\d) s +(\\d+\\.\\d\\d) +success$").matcher(table);
        int rows = 0;
        while (m.find()) {
            rows++;
            assertThat(Double.parseDouble(m.group(1))).as(m.group()).isPositive();
        }
        assertThat(rows).isEqualTo(6);
    }
}
