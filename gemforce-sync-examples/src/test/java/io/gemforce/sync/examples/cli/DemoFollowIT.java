package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.examples.jdbc.JdbcStateSink;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.sink.StoredEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gemforce-sync demo --follow} (SQLite) in a child JVM: it prints every kind of change the
 * scenario makes, each stored change was printed with its id, the owners the store holds are the
 * last printed ones; SIGTERM stops it (exit 0) and Anvil with it; {@code --duration} ends it by itself.
 */
class DemoFollowIT {
    private static final Duration WAIT = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    @Test
    void printsEachChangeTheStoreHoldsAndStopsOnSigterm() throws Exception {
        Path db = dir.resolve("live.sqlite");
        try (DemoChild demo = DemoChild.start(dir, "demo", "demo", "--follow", "--db", db.toString(),
                "--block-time", "1", "--interval", "1", "--duration", "900")) {
            demo.awaitOutput(out -> DemoChild.transferPrinted(out) && DemoChild.created(out).size() >= 2
                    && kinds(out).containsAll(Set.of("created", "proposed", "executed", "facets", "cancelled", "owner")),
                    WAIT, "a full round of the scenario (created, proposed, executed, facets, cancelled, owner)");
            String anvil = DemoChild.find("\\((http://127\\.0\\.0\\.1:\\d+)\\)$", demo.output());
            assertThat(DemoChild.listening(anvil)).isTrue();

            assertThat(demo.terminate()).as(demo.output()).isZero();
            String out = demo.output();
            assertThat(out).contains("SIGTERM: stopping the demo").contains("stopped: follower, chain source, store, Anvil");
            assertThat(DemoChild.listening(anvil)).as("Anvil stopped").isFalse();
            long stoppedAt = Long.parseLong(DemoChild.find("^stopped following at block (\\d+);", out));

            Set<String> printed = DemoChild.ids(out);
            try (JdbcStateSink sink = JdbcStateSink.sqlite(db)) {
                StoreContents c = sink.contents(31337);
                assertThat(c.checkpoints().stream().filter(cp -> cp.scope().equals("all")).map(Checkpoint::blockNumber))
                        .containsExactly(stoppedAt);
                assertThat(c.events()).isNotEmpty();
                assertThat(c.events().stream().map(e -> e.uid() + ":" + kind(e)).filter(id -> !printed.contains(id)).toList())
                        .as("stored changes never printed").isEmpty();
                List<DiamondRecord> diamonds = sink.diamonds(31337);
                assertThat(diamonds.stream().map(d -> d.address().hex()).toList())
                        .containsExactlyInAnyOrderElementsOf(DemoChild.created(out));
                Map<String, String> lastOwner = new HashMap<>();
                Matcher m = DemoChild.OWNER.matcher(out);
                while (m.find()) {
                    lastOwner.put(m.group(1), m.group(3));
                }
                for (DiamondRecord d : diamonds) {
                    assertThat(d.owner().hex()).as("owner of " + d.address()).isEqualTo(lastOwner.get(d.address().hex()));
                    assertThat(out).contains(d.address().hex() + "  " + d.symbol() + " \"" + d.name() + "\"  owner "
                            + d.owner().hex());
                }
            }
        }
    }

    @Test
    void durationEndsItByItself() throws Exception {
        Path db = dir.resolve("short.sqlite");
        try (DemoChild demo = DemoChild.start(dir, "short", "demo", "--follow", "--db", db.toString(),
                "--block-time", "1", "--duration", "2")) {
            assertThat(demo.awaitExit(WAIT)).as(demo.output()).isZero();
            assertThat(demo.output()).contains("it stops by itself after 2 s")
                    .contains("stopped: follower, chain source, store, Anvil").doesNotContain("SIGTERM");
            assertThat(Files.exists(db)).isTrue();
        }
    }

    private static Set<String> kinds(String out) {
        Set<String> kinds = new java.util.HashSet<>();
        for (String id : DemoChild.ids(out)) {
            kinds.add(id.substring(id.lastIndexOf(':') + 1));
        }
        return kinds;
    }

    private static String kind(StoredEvent e) {
        return switch (e.eventType()) {
            case DIAMOND_CREATED -> "created";
            case DIAMOND_CUT -> "facets";
            case OWNERSHIP_TRANSFERRED -> "owner";
            case DIAMOND_CUT_PROPOSED -> "proposed";
            case DIAMOND_CUT_CANCELLED -> "cancelled";
        };
    }
}
