package io.gemforce.sync.examples.cli;

import io.gemforce.sync.testbed.Anvil;
import java.lang.management.ManagementFactory;

/**
 * CPU time a benchmark variant cost: this JVM's (the SDK, its HTTP client, an in-process SQLite,
 * the collector) and the node's. On two cores both compete for the same CPU, so a variant's wall
 * time follows their sum more than either part.
 */
record Cpu(long sdkNanos, long nodeNanos) {
    static final Cpu NONE = new Cpu(0, 0);

    double sdkSeconds() {
        return sdkNanos / 1e9;
    }

    double nodeSeconds() {
        return nodeNanos / 1e9;
    }

    static Clock start(Anvil anvil) {
        return new Clock(anvil, processCpu(), anvil.cpuTime().toNanos());
    }

    /** Started at one variant's beginning; {@link #stop} reads the differences. */
    record Clock(Anvil anvil, long sdk0, long node0) {
        Cpu stop() {
            return new Cpu(processCpu() - sdk0, anvil.cpuTime().toNanos() - node0);
        }
    }

    private static long processCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }
}
