package io.gemforce.sync.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.sink.LeaseStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Leases in Parse, in the {@code SyncLock} class the cloud functions' locks use (one object per
 * name, keyed by a hash of it). Taking a free or expired lease is atomic without server-side
 * conditions: the claimant increments the object's {@code generation} with Parse's atomic
 * {@code Increment} and owns it only when it gets exactly the next number; of two racing
 * claimants one sees a gap and backs off. Renewing is the holder's own write, checked afterwards.
 */
final class ParseLeases implements LeaseStore {
    static final String CLASS = "SyncLock";
    private final ParseClient client;

    ParseLeases(ParseClient client) {
        this.client = client;
    }

    @Override
    public boolean acquire(String name, String holder, Duration ttl) {
        String id = objectId(name);
        ObjectNode current = client.get(CLASS, id).orElseGet(() -> create(id, name));
        long now = System.currentTimeMillis();
        String held = current.path("holder").asText("");
        boolean live = !held.isEmpty() && current.path("leaseUntil").asLong() > now;
        if (live && !held.equals(holder)) {
            return false;
        }
        long seen = current.path("generation").asLong();
        if (!live) {
            ObjectNode inc = JsonNodeFactory.instance.objectNode();
            inc.putObject("generation").put("__op", "Increment").put("amount", 1);
            JsonNode updated = client.update(CLASS, id, inc);
            if (updated.path("generation").asLong(-1) != seen + 1) {
                return false; // another instance claimed it first
            }
            seen++;
        }
        client.update(CLASS, id, JsonNodeFactory.instance.objectNode().put("holder", holder)
                .put("leaseUntil", now + ttl.toMillis()).put("name", name));
        ObjectNode after = client.get(CLASS, id).orElseThrow();
        return after.path("generation").asLong() == seen && holder.equals(after.path("holder").asText());
    }

    @Override
    public void release(String name, String holder) {
        String id = objectId(name);
        client.get(CLASS, id).filter(o -> holder.equals(o.path("holder").asText(""))).ifPresent(o ->
                client.update(CLASS, id, JsonNodeFactory.instance.objectNode().put("holder", "").put("leaseUntil", 0)));
    }

    @Override
    public Optional<String> holder(String name) {
        return client.get(CLASS, objectId(name)).filter(o -> !o.path("holder").asText("").isEmpty()
                && o.path("leaseUntil").asLong() > System.currentTimeMillis()).map(o -> o.path("holder").asText());
    }

    @Override
    public java.util.Map<String, String> live(String prefix) {
        ObjectNode where = JsonNodeFactory.instance.objectNode();
        where.putObject("leaseUntil").put("$gt", System.currentTimeMillis());
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (ObjectNode o : client.findAll(CLASS, where, 100)) {
            String name = o.path("name").asText("");
            String holder = o.path("holder").asText("");
            if (name.startsWith(prefix) && !holder.isEmpty()) {
                out.put(name, holder);
            }
        }
        return out;
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
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("lease:" + name).getBytes(StandardCharsets.UTF_8));
            return "ls" + HexFormat.of().formatHex(h, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
