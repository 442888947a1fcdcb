package io.gemforce.sync.parse.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.SyncError;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import java.util.stream.Collectors;

/**
 * What each cloud function answers, in the seed's shapes:
 * <ul>
 *   <li>{@code syncAllDiamonds}, {@code syncDiamondByAddress}: the summary object
 *       {@code {"diamondsSynced", "facetsUpdated", "eventsIndexed", "lastSyncedBlock", "status", "errors"}};</li>
 *   <li>{@code syncDiamondEvents}: {@code eventsIndexed}, a JSON number, as the seed documents it;
 *       with {@code "summary": true}, the object {@code {"eventsIndexed", "lastSyncedBlock", "status",
 *       "errors"}}. A number cannot say that nothing could be synced, so a {@code failed} run answers an
 *       error (its codes and messages) unless the caller asked for the object.</li>
 * </ul>
 */
final class FunctionAnswer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FunctionAnswer() {
    }

    /** The webhook's answer to a synchronous call: {@code {"success": result}} or {@code {"error": message}}. */
    static ObjectNode webhook(String function, FunctionParams p, SyncSummary s) {
        if (function.equals(FunctionParams.SYNC_EVENTS) && !p.summary()) {
            if (s.status() == SyncStatus.FAILED) {
                return error(s.errors().isEmpty() ? "the sync failed"
                        : s.errors().stream().map(FunctionAnswer::describe).collect(Collectors.joining("; ")));
            }
            return success(JSON.getNodeFactory().numberNode(s.eventsIndexed()));
        }
        return success(object(function, s));
    }

    /** The object form of a summary (also what an asynchronous job's {@code summary} holds). */
    static ObjectNode object(String function, SyncSummary s) {
        ObjectNode full = JSON.valueToTree(s);
        if (!function.equals(FunctionParams.SYNC_EVENTS)) {
            return full;
        }
        ObjectNode events = JSON.createObjectNode();
        events.set("eventsIndexed", full.get("eventsIndexed"));
        events.set("lastSyncedBlock", full.get("lastSyncedBlock"));
        events.set("status", full.get("status"));
        events.set("errors", full.get("errors"));
        return events;
    }

    static ObjectNode success(JsonNode result) {
        ObjectNode n = JSON.createObjectNode();
        n.set("success", result);
        return n;
    }

    static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static String describe(SyncError e) {
        return e.code() + ": " + e.message();
    }
}
