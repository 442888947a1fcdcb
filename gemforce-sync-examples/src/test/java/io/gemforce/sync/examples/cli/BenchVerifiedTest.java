package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code bench}'s own check of what each variant stored (its exit code rests on it). */
class BenchVerifiedTest {
    private static BenchCommand.Result result(String name, long events, String note) {
        return new BenchCommand.Result(name, events, 1.0, Map.of(), new long[] {0, 0}, note, Cpu.NONE);
    }

    private static boolean verified(StringWriter text, List<BenchCommand.Result> results) {
        return BenchReport.verified(new PrintWriter(text), 1000, results);
    }

    @Test
    void theRawCountForSyncEventsAndThreeMoreForSyncAllPass() {
        StringWriter text = new StringWriter();
        assertThat(verified(text, List.of(result("syncEvents -> in-memory sink", 1000, "success"),
                result("syncAll -> JDBC sink (SQLite)", 1003, "success")))).isTrue();
        assertThat(text.toString()).isEmpty();
    }

    @Test
    void aMissingOrExtraEventOrAFailedStatusFailsTheRunAndSaysWhich() {
        StringWriter text = new StringWriter();
        assertThat(verified(text, List.of(result("syncEvents -> in-memory sink", 999, "success")))).isFalse();
        assertThat(verified(text, List.of(result("syncAll -> in-memory sink", 1004, "success")))).isFalse();
        assertThat(verified(text, List.of(result("syncEvents -> JDBC sink (PostgreSQL)", 1000, "partial")))).isFalse();
        assertThat(text.toString()).contains("CHECK FAILED: syncEvents -> in-memory sink: status success, 999 events stored,"
                + " expected 1000").contains("syncAll -> in-memory sink: status success, 1004 events stored, expected 1003")
                .contains("status partial");
    }

    @Test
    void runningOutOfHeapIsReportedInTheTableNotFailed() {
        StringWriter text = new StringWriter();
        assertThat(verified(text, List.of(result("syncEvents -> in-memory sink", 0,
                "OUT OF MEMORY (this sink holds every event on the heap)")))).isTrue();
    }
}
