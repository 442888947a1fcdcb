package io.gemforce.sync.chain.web3j;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.LogsRound;
import io.gemforce.sync.chain.RangeLogs;
import io.gemforce.sync.chain.RawLog;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A round of log reads as one JSON-RPC batch: the range's {@code eth_getLogs} (id 0) and its last
 * block's header (id 1), then the riding queries (ids 2, 3, ...), then further headers. Read with the
 * streaming parser.
 */
final class LogsRoundBatch {
    private LogsRoundBatch() {
    }

    /** The elements by id, or a reason the answer cannot be used as a batch answer. */
    private record Answers(Map<Integer, LogsWithHeader.Element> elements, String wrong) {
    }

    /**
     * The round's answers; a query whose answer held more than {@link LogsParser#MAX_LOGS_PER_ANSWER}
     * logs counts as refused for its size (a rider: {@code null}; the range: {@link LogsRound#refused}),
     * unless it is a single block, which {@code uncapped} reads again whole.
     */
    static LogsRound read(RpcTransport transport, RpcBatch batch, LogQuery main, List<LogQuery> extra,
            List<Long> headers, Function<JsonNode, BlockRef> blockRef, Supplier<LogsRound> singles,
            Function<LogQuery, List<RawLog>> uncapped) {
        List<Integer> ids = new ArrayList<>();
        ArrayNode body = RpcTransport.MAPPER.createArrayNode();
        TreeSet<String> methods = new TreeSet<>();
        try {
            if (main != null) {
                body.add(call(LogsParser.request(main, 0)));
                ObjectNode block = body.addObject().put("jsonrpc", "2.0").put("id", 1).put("method", "eth_getBlockByNumber");
                block.putArray("params").add(Web3jChainSource.quantity(main.toBlock())).add(false);
                ids.add(0);
                ids.add(1);
                methods.add("eth_getBlockByNumber");
            }
            for (int i = 0; i < extra.size(); i++) {
                body.add(call(LogsParser.request(extra.get(i), 2 + i)));
                ids.add(2 + i);
            }
            int first = 2 + extra.size();
            for (int j = 0; j < headers.size(); j++) {
                ObjectNode block = body.addObject().put("jsonrpc", "2.0").put("id", first + j)
                        .put("method", "eth_getBlockByNumber");
                block.putArray("params").add(Web3jChainSource.quantity(headers.get(j))).add(false);
                ids.add(first + j);
                methods.add("eth_getBlockByNumber");
            }
            methods.add("eth_getLogs");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] bytes;
        try {
            bytes = RpcTransport.MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String key = "batch(" + String.join("+", methods) + ")";
        Answers p = transport.send(key, index -> {
            transport.countCalls("eth_getLogs", extra.size() + (main != null ? 1 : 0));
            if (main != null || !headers.isEmpty()) {
                transport.countCalls("eth_getBlockByNumber", (main != null ? 1 : 0) + headers.size());
            }
            Answers x;
            try {
                x = transport.post(index, bytes, in -> parse(in, ids.size()));
            } catch (RpcTransport.HttpStatusException e) {
                if (e.status == 429 || e.status >= 500) {
                    throw e;
                }
                return new Answers(null, "HTTP " + e.status);
            }
            if (x.wrong() == null) {
                for (int id : ids) {
                    LogsWithHeader.Element e = x.elements().get(id);
                    if (e == null) {
                        return new Answers(null, "answers that do not match the calls' ids");
                    }
                    if (e.error != null && RpcErrors.isRateLimited(e.error.code(), e.error.message())) {
                        throw new RpcTransport.RateLimitedAnswer(e.error.message());
                    }
                }
            }
            return x;
        });
        if (p.wrong() != null) {
            batch.refuse(p.wrong()); // first: the single calls below must not try a batch again
            return singles.get();
        }
        List<List<RawLog>> answers = new ArrayList<>(extra.size());
        for (int i = 0; i < extra.size(); i++) {
            LogsWithHeader.Element e = p.elements().get(2 + i);
            if (e.tooMany) {
                LogQuery q = extra.get(i);
                answers.add(q.fromBlock() == q.toBlock() ? uncapped.apply(q) : null);
                continue;
            }
            if (e.error != null) {
                if (RpcErrors.isRangeTooLarge(transport.scrub(e.error.message()))) {
                    answers.add(null);
                    continue;
                }
                throw transport.chainError("eth_getLogs", e.error);
            }
            answers.add(e.logs != null ? e.logs : List.of());
        }
        if (main == null) {
            return new LogsRound(null, null, answers, headers(p, 2 + extra.size(), headers, blockRef));
        }
        LogsWithHeader.Element logs = p.elements().get(0);
        LogsWithHeader.Element block = p.elements().get(1);
        if (logs.tooMany) {
            if (main.fromBlock() != main.toBlock()) {
                return new LogsRound(null, tooMany(main), answers);
            }
            logs.logs = uncapped.apply(main);
        }
        if (logs.error != null) {
            String msg = transport.scrub(logs.error.message());
            if (RpcErrors.isRangeTooLarge(msg)) {
                return new LogsRound(null, new ChainException.RangeTooLarge("eth_getLogs " + main.fromBlock() + ".."
                        + main.toBlock() + ": " + msg, RpcErrors.hintedEnd(msg, main.fromBlock(), main.toBlock())), answers);
            }
            throw transport.chainError("eth_getLogs", logs.error);
        }
        if (block.error != null) {
            throw transport.chainError("eth_getBlockByNumber", block.error);
        }
        Optional<BlockRef> end = block.node == null || block.node.isNull() ? Optional.empty()
                : Optional.of(blockRef.apply(block.node));
        return new LogsRound(new RangeLogs(logs.logs != null ? logs.logs : List.of(), end), null, answers,
                headers(p, 2 + extra.size(), headers, blockRef));
    }

    /** The further headers the node gave (a read ahead: an error or a missing block leaves one out). */
    private static Map<Long, BlockRef> headers(Answers p, int first, List<Long> numbers,
            Function<JsonNode, BlockRef> blockRef) {
        Map<Long, BlockRef> out = new HashMap<>();
        for (int j = 0; j < numbers.size(); j++) {
            LogsWithHeader.Element e = p.elements().get(first + j);
            if (e.error == null && e.node != null && !e.node.isNull()) {
                try {
                    BlockRef b = blockRef.apply(e.node);
                    if (b.number() == numbers.get(j)) {
                        out.put(b.number(), b);
                    }
                } catch (RuntimeException malformed) {
                    // left out: read again, and reported, where the header is needed
                }
            }
        }
        return out;
    }

    /** The refusal an answer over the cap stands for: halve the range (no hint). */
    static ChainException.RangeTooLarge tooMany(LogQuery q) {
        return new ChainException.RangeTooLarge("eth_getLogs " + q.fromBlock() + ".." + q.toBlock() + ": more than "
                + LogsParser.MAX_LOGS_PER_ANSWER + " logs in one answer (the client's cap; read smaller ranges)", -1);
    }

    private static ObjectNode call(byte[] request) throws IOException {
        return (ObjectNode) RpcTransport.MAPPER.readTree(request);
    }

    private static Answers parse(InputStream in, int expected) throws IOException {
        try (JsonParser p = RpcTransport.MAPPER.getFactory().createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                JsonNode one = RpcTransport.MAPPER.readTree(p);
                RpcError e = RpcError.of(one);
                return new Answers(null, "one answer object" + (e == null ? "" : " (" + e.message() + ")"));
            }
            if (first != JsonToken.START_ARRAY) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "a batch answer must be a JSON array");
            }
            Map<Integer, LogsWithHeader.Element> out = new HashMap<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                LogsWithHeader.Element e = LogsWithHeader.element(p);
                if (e.error != null && e.error.message() != null
                        && e.error.message().toLowerCase(Locale.ROOT).contains("batch")) {
                    return new Answers(null, "an error about batches (" + e.error.message() + ")");
                }
                if (e.id < 0 || out.put(e.id, e) != null) {
                    return new Answers(null, "answers that do not match the calls' ids");
                }
            }
            if (out.size() != expected) {
                return new Answers(null, out.size() + " answers to " + expected + " calls");
            }
            return new Answers(out, null);
        }
    }
}
