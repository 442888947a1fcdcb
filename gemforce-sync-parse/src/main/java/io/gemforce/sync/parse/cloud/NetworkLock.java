package io.gemforce.sync.parse.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.parse.ParseClient;
import io.gemforce.sync.parse.ParseException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A lock kept in Parse ({@code SyncLock} objects), so that every instance of the endpoint sees it:
 * one {@code reindexAll} per network at a time.
 *
 * <p>Claiming is atomic without server-side conditions: each lock object carries a
 * {@code generation} counter. A claimant reads the object; if it is free (no holder, or its lease
 * expired) it increments {@code generation} with Parse's atomic {@code Increment} and owns the lock
 * only when the value it gets back is exactly one more than what it read: of two racing claimants,
 * one gets the next number and the other sees a gap and backs off. The holder then writes its id
 * and lease expiry; a crashed holder's lease runs out.
 */
final class NetworkLock {
    static final String CLASS = "SyncLock";
    private final ParseClient client;
    private final Clock clock;
    private final Duration lease;
    private final String instanceId;

    NetworkLock(ParseClient client, Clock clock, Duration lease, String instanceId) {
        this.client = client;
        this.clock = clock;
        this.lease = lease;
        this.instanceId = instanceId;
    }

    /** A held lock; {@link #release()} frees it. */
    final class Held implements AutoCloseable {
        private final String objectId;
        private final long generation;

        private Held(String objectId, long generation) {
            this.objectId = objectId;
            this.generation = generation;
        }

        void release() {
            Optional<ObjectNode> now = client.get(CLASS, objectId);
            if (now.isPresent() && now.get().path("generation").asLong() == generation) {
                client.update(CLASS, objectId, JsonNodeFactory.instance.objectNode().put("holder", "").put("leaseUntil", 0));
            }
        }

        @Override
        public void close() {
            release();
        }
    }

    /** The lock for {@code name}, or empty when another holder has it (and its lease is running). */
    Optional<Held> tryAcquire(String name) {
        String id = objectId(name);
        ObjectNode current = client.get(CLASS, id).orElseGet(() -> create(id, name));
        long now = clock.millis();
        String holder = current.path("holder").asText("");
        if (!holder.isEmpty() && current.path("leaseUntil").asLong() > now) {
            return Optional.empty();
        }
        long seen = current.path("generation").asLong();
        ObjectNode inc = JsonNodeFactory.instance.objectNode();
        inc.putObject("generation").put("__op", "Increment").put("amount", 1);
        JsonNode updated = client.update(CLASS, id, inc);
        long got = updated.path("generation").asLong(-1);
        if (got != seen + 1) {
            return Optional.empty();
        }
        client.update(CLASS, id, JsonNodeFactory.instance.objectNode().put("holder", instanceId)
                .put("leaseUntil", now + lease.toMillis()).put("name", name));
        return Optional.of(new Held(id, got));
    }

    /** Who holds {@code name}, if anyone. */
    Optional<String> holder(String name) {
        return client.get(CLASS, objectId(name)).filter(o -> !o.path("holder").asText("").isEmpty()
                && o.path("leaseUntil").asLong() > clock.millis()).map(o -> o.path("holder").asText());
    }

    private ObjectNode create(String id, String name) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode().put("objectId", id).put("name", name)
                .put("holder", "").put("leaseUntil", 0).put("generation", 0);
        try {
            client.create(CLASS, fields);
        } catch (ParseException e) {
            if (e.parseCode() != ParseException.DUPLICATE_VALUE) {
                throw e;
            }
        }
        return client.get(CLASS, id).orElseThrow();
    }

    static String objectId(String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("lock:" + name).getBytes(StandardCharsets.UTF_8));
            return "lk" + HexFormat.of().formatHex(h, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
