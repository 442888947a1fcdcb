package io.gemforce.sync.parse;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer to one sub-request of a {@code /batch}: either {@code success} (the object's
 * {@code objectId}, {@code createdAt} or {@code updatedAt}) or an error with Parse's code and message.
 */
public record BatchResult(JsonNode success, int errorCode, String errorMessage) {

    public static BatchResult ok(JsonNode success) {
        return new BatchResult(success, 0, null);
    }

    public static BatchResult failed(int code, String message) {
        return new BatchResult(null, code, message);
    }

    public boolean isSuccess() {
        return success != null;
    }
}
