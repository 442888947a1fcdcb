package io.gemforce.sync.examples.cli;

import io.gemforce.sync.examples.cli.BenchSparseCommand.Raw;
import io.gemforce.sync.examples.cli.BenchSparseCommand.Resumed;
import io.gemforce.sync.examples.cli.BenchSparseCommand.Run;
import java.io.PrintWriter;
import java.util.List;

/** What {@code bench-sparse} prints: the table against the bound and the budget, calls by method, the idle runs, the CLI's target. */
final class SparseReport {
    private SparseReport() {
    }

    /** {@code pairs.get(i)} is the raw read of the run {@code results.get(i)} belongs to. */
    static void print(BenchSparseCommand b, PrintWriter out, long first, long head, long span, double genSeconds, String how,
            List<Raw> raws, List<Run> results, List<Raw> pairs, double jvm) {
        long minRequests = (span + b.cap - 1) / b.cap;
        double bound = (double) minRequests / b.concurrency * b.latencyMs / 1000.0;
        long budget = minRequests + 10;
        out.printf("%nbench-sparse: %d diamonds, %d DiamondCut events (cuts) over %d blocks; synced blocks %d..%d (%d blocks),"
                + " generated in %.1f s (%s)%n", b.diamonds, b.events, b.blocks, first, head, span, genSeconds, how);
        out.printf("proxy: +%d ms per HTTP request, eth_getLogs capped at %d blocks; syncer concurrency %d; %d cores%n",
                b.latencyMs, b.cap, b.concurrency, Runtime.getRuntime().availableProcessors());
        out.printf("lower bound = ceil(%d / %d) / %d x %d ms = %.3f s; request budget = ceil(%d / %d) + 10 = %d%n%n", span, b.cap,
                b.concurrency, b.latencyMs, bound, span, b.cap, budget);
        out.printf("%-48s %9s %9s %11s %8s %9s %8s %8s %8s %9s  %s%n", "variant", "wall s", "bound s", "wall/bound", "vs raw",
                "requests", "budget", "within", "cpu sdk", "cpu node", "verified");
        for (Raw r : raws) {
            out.printf("%-48s %9.3f %9.3f %11.2f %8s %9d %8s %8s %7.2fs %8.2fs  %s%n", r.name(), r.seconds(), bound,
                    bound > 0 ? r.seconds() / bound : Double.NaN, "1.00", r.requests(), "-", "-", r.cpu().sdkSeconds(),
                    r.cpu().nodeSeconds(), "baseline (" + r.logs() + " logs counted)");
        }
        for (int i = 0; i < results.size(); i++) {
            Run r = results.get(i);
            Raw paired = pairs.get(i);
            out.printf("%-48s %9.3f %9.3f %11.2f %8.2f %9d %8d %8s %8s %8.2fs  %s%n", r.name(), r.seconds(), bound,
                    bound > 0 ? r.seconds() / bound : Double.NaN, r.seconds() / paired.seconds(), r.requests(), budget,
                    r.requests() <= budget ? "yes" : "NO",
                    r.cpu().sdkNanos() < 0 ? "-" : String.format("%.2fs", r.cpu().sdkSeconds()), r.cpu().nodeSeconds(),
                    r.problems().isEmpty() ? "yes (" + r.stored() + ", facets = loupe = cuts made)" : "NO: see the checks above");
        }
        out.printf("raw: one plain eth_getLogs per %d-block range, %d in flight, through the same proxy to the same node (the"
                + " events syncAll reads, any emitter); vs raw: a sync's wall time over the raw read's of the same run%n", b.cap,
                b.concurrency);
        if (results.stream().anyMatch(r -> r.replay().replayed() > 0)) {
            out.println("replayed: the proxy answers from memory what the node answered in the live runs (after the same"
                    + " latency, the same cap), so the node takes no time: the model behind the bound");
        }
        out.println();
        for (Run r : results) {
            out.printf("%-48s requests by method: %s; refused by the cap: %d%s%n", r.name(), r.byMethod(), r.refused(),
                    r.replay().replayed() + r.replay().missed() == 0 ? ""
                            : "; calls replayed " + r.replay().replayed() + ", asked of the node " + r.replay().missed());
        }
        out.println();
        for (Run r : results) {
            Resumed again = r.resumed();
            out.printf("%-48s run again with nothing new: %.3f s (%.1f x the latency), %d requests %s%n", r.name(),
                    again.seconds(), b.latencyMs > 0 ? again.seconds() * 1000 / b.latencyMs : Double.NaN, again.requests(),
                    again.byMethod());
        }
        if (jvm >= 0) {
            out.printf("%nJVM start + `gemforce-sync --help` in a child JVM (best of 2): %.3f s%n", jvm);
            for (Run r : results) {
                if (r.cpu().sdkNanos() < 0 && bound > 0) { // a CLI run: the target is 1.5 x the bound plus a JVM start
                    out.printf("%-48s %.3f s = JVM start %.3f s + %.3f s, which is %.2f x the bound (target: 1.5 x the bound"
                            + " plus a JVM start = %.3f s)%n", r.name(), r.seconds(), jvm, r.seconds() - jvm,
                            (r.seconds() - jvm) / bound, 1.5 * bound + jvm);
                }
            }
        }
        out.flush();
    }
}
