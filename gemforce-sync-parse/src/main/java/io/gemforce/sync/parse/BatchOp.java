package io.gemforce.sync.parse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One sub-request of {@code POST /batch}.
 *
 * @param method {@code POST}, {@code PUT} or {@code DELETE}
 * @param path the path below the mount path, e.g. {@code classes/Diamond/abc} (the client adds the
 *     mount path, e.g. {@code /parse/})
 * @param body the JSON body, or {@code null} for a delete
 */
public record BatchOp(String method, String path, ObjectNode body) {
    public BatchOp {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
    }

    /** Creates an object; with {@code allowCustomObjectId} the body may carry its {@code objectId}. */
    public static BatchOp create(String className, ObjectNode fields) {
        return new BatchOp("POST", "classes/" + className, fields);
    }

    public static BatchOp update(String className, String objectId, ObjectNode fields) {
        return new BatchOp("PUT", "classes/" + className + "/" + objectId, fields);
    }

    public static BatchOp delete(String className, String objectId) {
        return new BatchOp("DELETE", "classes/" + className + "/" + objectId, null);
    }
}
