package io.gemforce.sync.examples.cli;

import io.gemforce.sync.examples.cli.BenchCommand.Result;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code bench}'s table and its own check of what each variant stored. */
final class BenchReport {
    private BenchReport() {
    }

    /**
     * Whether every variant that ran to its end stored what the chain holds: status success, and the
     * events the raw read counted ({@code syncEvents}), plus the three of the diamond's creation that
     * precede the generated range ({@code syncAll}: its DiamondCut, OwnershipTransferred and the
     * factory's DiamondCreated). A variant that ran out of heap is reported in its row, not failed.
     */
    static boolean verified(PrintWriter out, long rawEvents, List<Result> results) {
        boolean ok = true;
        for (Result r : results) {
            if (r.note().startsWith("OUT OF MEMORY")) {
                continue;
            }
            long expected = r.name().startsWith("syncAll") ? rawEvents + 3 : rawEvents;
            if (!"success".equals(r.note()) || r.events() != expected) {
                out.printf("CHECK FAILED: %s: status %s, %d events stored, expected %d%n", r.name(), r.note(), r.events(),
                        expected);
                ok = false;
            }
        }
        out.flush();
        return ok;
    }

    static void print(PrintWriter out, List<Result> baselines, List<Result> results, Map<String, Result> pairs, int ranges) {
        long max = Runtime.getRuntime().maxMemory();
        int cores = Runtime.getRuntime().availableProcessors();
        Result raw1 = baselines.get(0);
        Result rawN = baselines.get(baselines.size() - 1);
        String nName = rawN.name().substring(0, rawN.name().indexOf(')') + 1);
        String collectors = String.join(" + ", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).toList());
        out.printf("%nbenchmark: %d DiamondCut events, %d eth_getLogs ranges, max heap %d MiB, %d cores, collector %s%n",
                raw1.events(), ranges, max >> 20, cores, collectors);
        out.printf("%-44s %10s %9s %12s %9s %9s %11s %10s %10s %9s %9s %9s %10s  %s%n", "variant", "events", "seconds",
                "events/s", "vs (a1)", "vs " + nName, "vs paired", "peak heap", "live heap", "cpu sdk", "cpu node", "cpu floor",
                "wall/floor", "status / note");
        List<Result> all = new ArrayList<>(baselines);
        all.addAll(results);
        for (Result r : all) {
            boolean none = r.events() == 0 || r.seconds() == 0;
            double floor = (r.cpu().sdkSeconds() + r.cpu().nodeSeconds()) / cores;
            Result pair = pairs.get(r.name());
            out.printf("%-44s %10d %9.2f %12.0f %9s %9s %11s %6d MiB %6d MiB %7.2f s %7.2f s %7.2f s %10s  %s%n", r.name(),
                    r.events(), r.seconds(), none ? 0 : r.rate(), none ? "-" : String.format("%.2f", r.rate() / raw1.rate()),
                    none ? "-" : String.format("%.2f", r.rate() / rawN.rate()),
                    none || pair == null ? "-" : String.format("%.2f", r.rate() / pair.rate()), r.peakHeap() >> 20,
                    r.peakLive() >> 20,
                    r.cpu().sdkSeconds(), r.cpu().nodeSeconds(), floor, floor > 0 ? String.format("%.2f", r.seconds() / floor) : "-",
                    r.note());
        }
        out.println();
        for (Result r : all) {
            out.printf("%-44s RPC calls: %s%n", r.name(), r.calls());
        }
        if (!pairs.isEmpty()) {
            out.println("vs paired: against a raw read with " + nName.substring(2, nName.length() - 1) + " in flight of the same"
                    + " ranges run just before the variant (seconds: " + String.join(", ", pairs.values().stream()
                    .map(p -> String.format("%.2f", p.seconds())).toList()) + "), which takes the node's drift out");
        }
        out.println("peak heap: the most heap in use (sampled every 20 ms, garbage included); live heap: the most in use right after a"
                + " full collection (during the variant, and one at its end while its store still holds what it stored)");
        out.println("cpu sdk: CPU time of this JVM during the variant (the SDK, its HTTP client, SQLite, the GC); cpu node: "
                + "of the Anvil process; PostgreSQL's server processes are not counted");
        out.println("cpu floor: (cpu sdk + cpu node) / cores, the least wall time the two could take on this machine's "
                + cores + " cores; wall/floor near 1 says the variant is bound by CPU, not by waiting");
        out.println("syncAll counts every event it stores (the creation's DiamondCut, OwnershipTransferred, DiamondCreated, the cuts)");
        out.flush();
    }
}
