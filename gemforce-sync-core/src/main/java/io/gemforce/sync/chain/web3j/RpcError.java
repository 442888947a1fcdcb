package io.gemforce.sync.chain.web3j;

import com.fasterxml.jackson.databind.JsonNode;

/** A JSON-RPC error object as the node sent it (the message is not yet scrubbed of RPC URLs). */
record RpcError(int code, String message) {
    RpcError {
        message = message == null ? "" : message;
    }

    static RpcError of(org.web3j.protocol.core.Response.Error e) {
        return new RpcError(e.getCode(), e.getMessage());
    }

    /** The {@code error} member of a JSON-RPC answer, or {@code null} when it has none. */
    static RpcError of(JsonNode answer) {
        JsonNode e = answer.get("error");
        if (e == null || e.isNull()) {
            return null;
        }
        if (!e.isObject()) {
            return new RpcError(0, e.asText());
        }
        return new RpcError(e.path("code").asInt(), e.path("message").asText(""));
    }
}
