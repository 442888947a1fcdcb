package io.gemforce.sync.chain.web3j;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RangeLogs;
import io.gemforce.sync.chain.RawLog;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code eth_getLogs} and {@code eth_getBlockByNumber} of the range's last block as one JSON-RPC
 * batch of two calls: the range's checkpoint hash costs no round trip. The answer is read with the
 * streaming parser; the logs go straight into {@link RawLog}s as in {@link LogsParser}.
 */
final class LogsWithHeader {
    static final String KEY = "batch(eth_getBlockByNumber+eth_getLogs)";
    private static final JsonFactory FACTORY = RpcTransport.MAPPER.getFactory();

    /** The two answers, or {@code wrong} saying why the batch answer cannot be used. */
    record Answer(LogsParser.Answer logs, JsonNode block, RpcError blockError, String wrong) {
    }

    private LogsWithHeader() {
    }

    /**
     * Sends the batch with the transport's retries; a node that answers it with something other than
     * two answers gets the two calls singly ({@code singles}), and batches are off from then on.
     */
    static RangeLogs read(RpcTransport transport, RpcBatch batch, LogQuery q,
            Function<LogsParser.Answer, List<RawLog>> logsOrThrow, Function<JsonNode, BlockRef> blockRef,
            Supplier<RangeLogs> singles) {
        byte[] body;
        try {
            body = request(LogsParser.request(q, 0), q.toBlock());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Answer a = transport.send(KEY, index -> {
            Answer x;
            transport.countCalls("eth_getLogs", 1);
            transport.countCalls("eth_getBlockByNumber", 1);
            try {
                x = transport.post(index, body, LogsWithHeader::parse);
            } catch (RpcTransport.HttpStatusException e) {
                if (e.status == 429 || e.status >= 500) {
                    throw e;
                }
                return new Answer(null, null, null, "HTTP " + e.status);
            }
            if (x.wrong() == null) {
                RpcError le = x.logs().error();
                RpcError be = x.blockError();
                if (le != null && RpcErrors.isRateLimited(le.code(), le.message())) {
                    throw new RpcTransport.RateLimitedAnswer(le.message());
                }
                if (be != null && RpcErrors.isRateLimited(be.code(), be.message())) {
                    throw new RpcTransport.RateLimitedAnswer(be.message());
                }
            }
            return x;
        });
        if (a.wrong() != null) {
            RangeLogs r = singles.get();
            batch.refuse(a.wrong());
            return r;
        }
        List<RawLog> logs = logsOrThrow.apply(a.logs());
        if (a.blockError() != null) {
            throw transport.chainError("eth_getBlockByNumber", a.blockError());
        }
        return new RangeLogs(logs, a.block() == null || a.block().isNull() ? Optional.empty()
                : Optional.of(blockRef.apply(a.block())));
    }

    static byte[] request(byte[] logsRequest, long toBlock) throws IOException {
        ArrayNode body = RpcTransport.MAPPER.createArrayNode();
        ObjectNode logs = (ObjectNode) RpcTransport.MAPPER.readTree(logsRequest);
        logs.put("id", 0);
        body.add(logs);
        ObjectNode block = body.addObject().put("jsonrpc", "2.0").put("id", 1).put("method", "eth_getBlockByNumber");
        block.putArray("params").add(Web3jChainSource.quantity(toBlock)).add(false);
        return RpcTransport.MAPPER.writeValueAsBytes(body);
    }

    static Answer parse(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                JsonNode one = RpcTransport.MAPPER.readTree(p);
                RpcError e = RpcError.of(one);
                return new Answer(null, null, null, "one answer object" + (e == null ? "" : " (" + e.message() + ")"));
            }
            if (first != JsonToken.START_ARRAY) {
                throw new JsonParseException(p, "a batch answer must be a JSON array");
            }
            LogsParser.Answer logs = null;
            JsonNode block = null;
            RpcError blockError = null;
            boolean blockSeen = false;
            int count = 0;
            while (p.nextToken() == JsonToken.START_OBJECT) {
                count++;
                Element e = element(p);
                if (e.error != null && e.error.message() != null && e.error.message().toLowerCase(Locale.ROOT).contains("batch")) {
                    return new Answer(null, null, null, "an error about batches (" + e.error.message() + ")");
                }
                if (e.id == 0 && logs == null) {
                    if (e.error != null) {
                        logs = new LogsParser.Answer(null, e.error);
                    } else if (e.logs != null) {
                        logs = new LogsParser.Answer(e.logs, null);
                    } else if (e.nullResult) {
                        logs = new LogsParser.Answer(List.of(), null);
                    } else {
                        return new Answer(null, null, null, "an eth_getLogs answer that is not a list");
                    }
                } else if (e.id == 1 && !blockSeen) {
                    blockSeen = true;
                    block = e.node;
                    blockError = e.error;
                } else {
                    return new Answer(null, null, null, "answers that do not match the calls' ids");
                }
            }
            if (count != 2 || logs == null || !blockSeen) {
                return new Answer(null, null, null, count + " answers to 2 calls");
            }
            return new Answer(logs, block, blockError, null);
        }
    }

    static final class Element {
        int id = -1;
        List<RawLog> logs;
        JsonNode node;
        boolean nullResult;
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
                        e.logs = LogsParser.readLogs(p);
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
