package io.gemforce.sync.examples.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/** The largest heap in use right after a garbage collection, sampled while a variant runs. */
final class LiveHeap {
    private volatile boolean running = true;
    private volatile long max;
    private volatile long maxUsed;
    private final Thread sampler;

    LiveHeap() {
        sampler = new Thread(() -> {
            while (running) {
                long sum = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                        sum += pool.getCollectionUsage().getUsed();
                    }
                }
                max = Math.max(max, sum);
                maxUsed = Math.max(maxUsed, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Stops sampling; returns {max used, max live}. */
    long[] stop() {
        running = false;
        sampler.interrupt();
        return new long[] {maxUsed, max};
    }
}
