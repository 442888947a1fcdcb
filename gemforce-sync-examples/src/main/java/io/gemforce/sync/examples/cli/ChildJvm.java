package io.gemforce.sync.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command line in a fresh JVM, as a user runs it ({@code ./gemforce-sync ...}: this JVM's
 * {@code java} with the launcher script's options, this JVM's class path), timed from the process's
 * start to its exit.
 */
final class ChildJvm {
    /** What one run printed and how long it took; {@code exit} -1 when it did not end in time. */
    record Outcome(double seconds, int exit, String out, String err) {
    }

    private ChildJvm() {
    }

    static Outcome run(List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(options());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GemforceSyncCli.class.getName()));
        cmd.addAll(args);
        Path out = Files.createTempFile("gemforce-child", ".out");
        Path err = Files.createTempFile("gemforce-child", ".err");
        try {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!ended) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            return new Outcome(seconds, ended ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The launcher's JVM options: {@code $GEMFORCE_SYNC_JAVA_OPTS}, with the parallel collector unless they name one. */
    static List<String> options() {
        String env = System.getenv("GEMFORCE_SYNC_JAVA_OPTS");
        List<String> opts = new ArrayList<>(env == null || env.isBlank() ? List.of() : List.of(env.trim().split("\\s+")));
        if (opts.stream().noneMatch(o -> o.startsWith("-XX:+Use") && o.endsWith("GC"))) {
            opts.add(0, "-XX:+UseParallelGC");
        }
        return opts;
    }

    /** The best of {@code tries} runs of {@code gemforce-sync --help}: a JVM's start and the CLI's own; -1 when it failed. */
    static double start(int tries) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < tries; i++) {
            try {
                Outcome o = run(List.of("--help"), 60);
                if (o.exit() != 0) {
                    return -1;
                }
                best = Math.min(best, o.seconds());
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return best;
    }

    /** The summary a CLI run printed last on stdout, or null (and a problem) when it failed or printed none. */
    static SyncSummary summary(ChildJvm.Outcome o, List<String> problems) {
        String[] lines = o.out().strip().split("\\R");
        String last = lines[lines.length - 1];
        if (o.exit() != 0 || !last.startsWith("{")) {
            problems.add("the CLI exited with " + o.exit() + ": " + o.out().strip() + " " + o.err().strip());
            return null;
        }
        try {
            JsonNode j = new ObjectMapper().readTree(last);
            SyncStatus status = java.util.Arrays.stream(SyncStatus.values())
                    .filter(v -> v.jsonValue().equals(j.path("status").asText())).findFirst().orElse(SyncStatus.FAILED);
            if (!j.path("errors").isEmpty()) {
                problems.add("errors " + j.path("errors"));
            }
            return new SyncSummary(j.path("diamondsSynced").asInt(), j.path("facetsUpdated").asInt(),
                    j.path("eventsIndexed").asLong(), j.path("lastSyncedBlock").asLong(), status, List.of());
        } catch (java.io.IOException e) {
            problems.add("the CLI printed no summary: " + last);
            return null;
        }
    }
}
