package io.gemforce.sync.parse.cloud;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.SyncListener;
import io.gemforce.sync.parse.ParseClient;
import io.gemforce.sync.parse.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code SyncJob} objects: one per asynchronous call, with {@code function}, {@code params},
 * {@code status} ({@code running}, {@code success}, {@code partial}, {@code failed}),
 * {@code progress}, {@code summary}, {@code error}, {@code requestedBy}, {@code startedAt},
 * {@code finishedAt}. Anyone holding a job's (random) objectId may read it; only the master key
 * writes or lists jobs.
 */
final class SyncJobs {
    static final String CLASS = "SyncJob";
    private static final Logger LOG = LoggerFactory.getLogger(SyncJobs.class);
    private static final long PROGRESS_EVERY_MS = 1_000;
    private final ParseClient client;
    private final Clock clock;

    SyncJobs(ParseClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Creates the SyncJob and SyncLock classes with restrictive permissions, if they are missing. */
    static void ensureClasses(ParseClient client) {
        ensure(client, CLASS, fields("function", "String", "params", "Object", "status", "String", "progress", "Object",
                "summary", "Object", "error", "String", "requestedBy", "String", "startedAt", "Date", "finishedAt", "Date"),
                true);
        ensure(client, NetworkLock.CLASS, fields("name", "String", "holder", "String", "leaseUntil", "Number",
                "generation", "Number"), false);
    }

    private static ObjectNode fields(String... nameType) {
        ObjectNode f = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < nameType.length; i += 2) {
            f.putObject(nameType[i]).put("type", nameType[i + 1]);
        }
        return f;
    }

    private static void ensure(ParseClient client, String className, ObjectNode fields, boolean publicGet) {
        if (client.schema(className).isPresent()) {
            return;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("fields", fields);
        ObjectNode clp = body.putObject("classLevelPermissions");
        for (String op : List.of("find", "count", "create", "update", "delete", "addField")) {
            clp.putObject(op);
        }
        ObjectNode get = clp.putObject("get");
        if (publicGet) {
            get.put("*", true);
        }
        clp.putObject("protectedFields");
        try {
            client.createSchema(className, body);
        } catch (ParseException e) {
            if (client.schema(className).isEmpty()) {
                throw e;
            }
        }
    }

    String create(String function, FunctionParams p, String requestedBy) {
        String id = "job" + UUID.randomUUID().toString().replace("-", "");
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("network", p.network());
        if (p.fromBlock() != null) {
            params.put("fromBlock", p.fromBlock());
        }
        if (p.toBlock() != null) {
            params.put("toBlock", p.toBlock());
        }
        if (p.reindexAll()) {
            params.put("reindexAll", true);
        }
        if (p.diamondAddress() != null) {
            params.put("diamondAddress", p.diamondAddress());
        }
        if (p.eventType() != null) {
            params.put("eventType", p.eventType());
        }
        ObjectNode job = JsonNodeFactory.instance.objectNode().put("objectId", id).put("function", function)
                .put("status", "running").put("requestedBy", requestedBy);
        job.set("params", params);
        job.set("startedAt", date());
        client.create(CLASS, job);
        return id;
    }

    /** Publishes progress at most once a second. */
    SyncListener progress(String jobId) {
        long[] last = {0};
        return (scope, from, to, target, events) -> {
            long now = clock.millis();
            if (now - last[0] < PROGRESS_EVERY_MS && to < target) {
                return;
            }
            last[0] = now;
            ObjectNode progress = JsonNodeFactory.instance.objectNode().put("lastSyncedBlock", to).put("targetBlock", target)
                    .put("eventsIndexed", events);
            ObjectNode update = JsonNodeFactory.instance.objectNode();
            update.set("progress", progress);
            try {
                client.update(CLASS, jobId, update);
            } catch (RuntimeException e) {
                LOG.warn("could not publish the progress of job {}: {}", jobId, e.getMessage());
            }
        };
    }

    void finish(String jobId, ObjectNode summary) {
        ObjectNode update = JsonNodeFactory.instance.objectNode().put("status", summary.path("status").asText("success"));
        update.set("summary", summary);
        update.set("finishedAt", date());
        client.update(CLASS, jobId, update);
    }

    void fail(String jobId, String error) {
        ObjectNode update = JsonNodeFactory.instance.objectNode().put("status", "failed").put("error", error);
        update.set("finishedAt", date());
        try {
            client.update(CLASS, jobId, update);
        } catch (RuntimeException e) {
            LOG.warn("could not record the failure of job {}: {}", jobId, e.getMessage());
        }
    }

    private ObjectNode date() {
        return JsonNodeFactory.instance.objectNode().put("__type", "Date").put("iso", clock.instant().toString());
    }
}
