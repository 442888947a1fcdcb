package io.gemforce.sync.internal.state;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.event.DiamondEvent;
import io.gemforce.sync.event.EventType;
import io.gemforce.sync.sink.Checkpoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one operation syncs, as data the pipeline's pieces read: which diamonds, which events,
 * whether it derives state, whether it discovers diamonds through factories, its checkpoint scope.
 *
 * @param kind {@code syncAll}, {@code syncDiamond} or {@code syncEvents}
 * @param target the diamond of {@code syncDiamond} and {@code syncEvents}, else {@code null}
 * @param types the event types stored
 * @param factories the network's factories (their {@code DiamondCreated} logs name new diamonds)
 */
public record Scope(Kind kind, Address target, Set<EventType> types, Set<Address> factories) {
    public enum Kind { ALL, DIAMOND, EVENTS }

    public Scope {
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
        factories = Set.copyOf(factories);
        if ((kind == Kind.ALL) != (target == null)) {
            throw new IllegalArgumentException("a target for syncDiamond and syncEvents only");
        }
    }

    /** The checkpoint scope name. */
    public String name() {
        return switch (kind) {
            case ALL -> Checkpoint.allScope();
            case DIAMOND -> Checkpoint.diamondScope(target);
            case EVENTS -> Checkpoint.eventsScope(target, types.size() == 1 ? types.iterator().next().eventName() : null);
        };
    }

    /** Whether the run derives diamond state (facets, owner, pending upgrade), not only events. */
    public boolean derivesState() {
        return kind != Kind.EVENTS;
    }

    /** Whether {@code DiamondCreated} logs of the factories add diamonds during the run. */
    public boolean discovers() {
        return kind == Kind.ALL;
    }

    /** Whether the target must be a diamond answering the loupe. */
    public boolean targeted() {
        return target != null;
    }

    /** Whether a failure of the one diamond fails the run (rather than only that diamond). */
    public boolean singleDiamond() {
        return kind == Kind.DIAMOND;
    }

    /** The addresses whose logs the run reads, given the diamonds it tracks. */
    public List<Address> queryAddresses(Collection<Address> tracked) {
        Set<Address> set = new LinkedHashSet<>();
        if (kind == Kind.EVENTS) {
            set.add(target);
            if (types.contains(EventType.DIAMOND_CREATED)) {
                set.addAll(factories);
            }
        } else {
            set.addAll(factories);
            set.addAll(tracked);
        }
        return new ArrayList<>(set);
    }

    public List<String> topics() {
        return types.stream().sorted().map(EventType::topic0).toList();
    }

    /** Whether the run stores the event: a wanted type, of a tracked diamond, DiamondCreated only from a factory. */
    public boolean stores(DiamondEvent e, Set<Address> tracked) {
        if (!types.contains(e.type())) {
            return false;
        }
        if (e instanceof DiamondEvent.DiamondCreated && !factories.contains(e.emitter())) {
            return false;
        }
        return kind == Kind.ALL ? tracked.contains(e.diamond()) : e.diamond().equals(target);
    }
}
