package io.gemforce.sync.sink;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * An optional capability of a store: named leases that several instances of a service share, so
 * that one instance leads each network and the others stand by. Taking and renewing are one atomic
 * step in the store; a lease that is not renewed runs out after its time to live, and another
 * instance takes it over. Instances' clocks must agree to well within the time to live.
 */
public interface LeaseStore {

    /**
     * Takes the lease {@code name} for {@code holder} until now plus {@code ttl}, when it is free,
     * expired, or already held by {@code holder} (a renewal). Atomic across instances.
     *
     * @return whether {@code holder} holds the lease now
     */
    boolean acquire(String name, String holder, Duration ttl);

    /** Gives the lease up when {@code holder} holds it; otherwise does nothing. */
    void release(String name, String holder);

    /** Who holds the lease now (not expired), if anyone. */
    Optional<String> holder(String name);

    /**
     * The leases now held (not expired) whose names start with {@code prefix}, name to holder: what a
     * service counts to spread its networks over the live instances. The default knows none (no
     * spreading: the first instance takes every free network).
     */
    default Map<String, String> live(String prefix) {
        return Map.of();
    }
}
