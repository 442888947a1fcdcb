package io.gemforce.sync.examples.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap while a variant runs: the most in use (sampled every 20 ms, garbage included) and the live
 * heap, the most in use right after a full collection: each full collection during the run, and one
 * forced when it ends, while the variant's store still holds what it stored. (A young collection's
 * figure is no measure of what is live: the old generation then still holds the garbage that earlier
 * young collections promoted; and the old generation's own "after collection" usage, read before,
 * is only updated by a full collection, which a short run may not have, so it showed a store that
 * keeps every event on the heap at the size of the heap before the run.)
 */
final class LiveHeap {
    private volatile boolean running = true;
    private volatile long maxUsed;
    private long maxLive; // guarded by this
    private final Thread sampler;
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final NotificationListener afterCollection = this::collected;
    private final List<NotificationEmitter> emitters = new ArrayList<>();

    LiveHeap() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(afterCollection, null, null);
                emitters.add(e);
            }
        }
        sampler = new Thread(() -> {
            while (running) {
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

    private void collected(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        if (!info.getGcAction().contains("major")) {
            return;
        }
        Map<String, MemoryUsage> after = info.getGcInfo().getMemoryUsageAfterGc();
        long sum = 0;
        for (Map.Entry<String, MemoryUsage> e : after.entrySet()) {
            if (heapPools.contains(e.getKey())) {
                sum += e.getValue().getUsed();
            }
        }
        synchronized (this) {
            maxLive = Math.max(maxLive, sum);
        }
    }

    /**
     * Stops sampling and collects the heap in full with {@code reachable} (the variant's store) kept
     * alive through the collection; returns {max used, max live}.
     */
    long[] stop(Object reachable) {
        running = false;
        sampler.interrupt();
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(afterCollection);
            } catch (ListenerNotFoundException ignored) {
                // not registered: nothing to remove
            }
        }
        System.gc();
        long atEnd = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        java.lang.ref.Reference.reachabilityFence(reachable);
        synchronized (this) {
            return new long[] {maxUsed, Math.max(maxLive, atEnd)};
        }
    }
}
