package io.gemforce.sync.internal;

import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.sink.ApplyResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The engine's meters in the host's Micrometer registry, tagged by network: the chain head and the
 * synced block (and the time of that block, and blocks behind), events indexed, sink write latency,
 * listener queue depth. With no registry every call is a no-op.
 */
public final class EngineMetrics {
    public static final EngineMetrics NONE = new EngineMetrics(null);

    private final MeterRegistry registry;
    private final Map<String, PerNetwork> networks = new ConcurrentHashMap<>();

    public EngineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    private static final class PerNetwork {
        final AtomicLong head = new AtomicLong(-1);
        final AtomicLong synced = new AtomicLong(-1);
        final AtomicLong syncedTime = new AtomicLong(0);
        Counter events;
        Timer apply;
    }

    /** The registry, or null. */
    public MeterRegistry registry() {
        return registry;
    }

    private PerNetwork of(Network net) {
        return networks.computeIfAbsent(net.name(), n -> {
            PerNetwork p = new PerNetwork();
            Gauge.builder("gemforce.chain.head", p.head, AtomicLong::get).tag("network", n)
                    .description("the newest head the engine read").register(registry);
            Gauge.builder("gemforce.synced.block", p.synced, AtomicLong::get).tag("network", n)
                    .description("the last block committed to the store").register(registry);
            Gauge.builder("gemforce.synced.block.time", p.syncedTime, AtomicLong::get).tag("network", n)
                    .description("the timestamp (epoch seconds) of the last block committed").baseUnit("seconds")
                    .register(registry);
            Gauge.builder("gemforce.blocks.behind", p, x -> x.head.get() < 0 || x.synced.get() < 0 ? 0
                    : Math.max(0, x.head.get() - x.synced.get())).tag("network", n)
                    .description("blocks between the head and the last committed block").register(registry);
            p.events = Counter.builder("gemforce.events.indexed").tag("network", n)
                    .description("events newly stored").register(registry);
            p.apply = Timer.builder("gemforce.sink.apply").tag("network", n)
                    .description("time to write one change set to the store").register(registry);
            return p;
        });
    }

    void head(Network net, BlockRef head) {
        if (registry != null) {
            of(net).head.set(head.number());
        }
    }

    void applied(Network net, long nanos, ApplyResult r, BlockRef end) {
        if (registry == null) {
            return;
        }
        PerNetwork p = of(net);
        p.apply.record(nanos, TimeUnit.NANOSECONDS);
        p.events.increment(r.eventsInserted());
        if (end != null && end.number() >= p.synced.get()) {
            p.synced.set(end.number());
            p.syncedTime.set(end.timestamp());
        }
    }

    /** A gauge of a follower's listener queue. */
    public void queue(Network net, Supplier<Number> depth) {
        if (registry != null) {
            Gauge.builder("gemforce.listener.queue", depth).tag("network", net.name())
                    .description("changes waiting for the listener").strongReference(true).register(registry);
        }
    }
}
