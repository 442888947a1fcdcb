package io.gemforce.sync.chain.web3j;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.gemforce.sync.chain.RawLog;
import java.io.IOException;
import java.util.List;

/**
 * One answer object of a JSON-RPC batch of log reads ({@link LogsRoundBatch}), read with the
 * streaming parser: an {@code eth_getLogs} result goes straight into {@link RawLog}s as in
 * {@link LogsParser}, anything else into a tree.
 */
final class LogsWithHeader {
    static final String KEY = "batch(eth_getBlockByNumber+eth_getLogs)";

    private LogsWithHeader() {
    }

    static final class Element {
        int id = -1;
        List<RawLog> logs;
        JsonNode node;
        boolean nullResult;
        /** More logs than {@link LogsParser#MAX_LOGS_PER_ANSWER}: skipped, {@code logs} null. */
        boolean tooMany;
        RpcError error;
    }

    /** One answer object of the array (the parser is on its START_OBJECT). */
    static Element element(JsonParser p) throws IOException {
        Element e = new Element();
        String field;
        while ((field = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (field) {
                case "id" -> e.id = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue()
                        : t == JsonToken.VALUE_STRING ? parseInt(p.getText()) : -1;
                case "result" -> {
                    if (t == JsonToken.START_ARRAY) {
                        e.logs = LogsParser.readLogs(p, LogsParser.MAX_LOGS_PER_ANSWER);
                        e.tooMany = e.logs == null;
                    } else if (t == JsonToken.VALUE_NULL) {
                        e.nullResult = true;
                    } else {
                        e.node = RpcTransport.MAPPER.readTree(p);
                    }
                }
                case "error" -> {
                    if (t != JsonToken.VALUE_NULL) {
                        e.error = RpcError.of(RpcTransport.MAPPER.createObjectNode().set("error",
                                RpcTransport.MAPPER.readTree(p)));
                    }
                }
                default -> p.skipChildren();
            }
        }
        return e;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
