package io.gemforce.sync.chain.web3j;

import com.fasterxml.jackson.databind.JsonNode;
import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.utils.Numeric;

/** Headers and transaction inputs of {@link Web3jChainSource} as JSON-RPC batches. */
final class BatchReads {
    private static final Logger LOG = LoggerFactory.getLogger(Web3jChainSource.class);

    private BatchReads() {
    }

    static List<Optional<BlockRef>> blocks(RpcTransport transport, RpcBatch batch, List<Long> numbers) {
        List<RpcBatch.Call> calls = new ArrayList<>(numbers.size());
        for (long n : numbers) {
            calls.add(new RpcBatch.Call("eth_getBlockByNumber", List.of(Web3jChainSource.quantity(n), false)));
        }
        List<RpcBatch.Answer> answers = batch.send(calls);
        List<Optional<BlockRef>> out = new ArrayList<>(numbers.size());
        for (RpcBatch.Answer a : answers) {
            if (a.error() != null) {
                throw transport.chainError("eth_getBlockByNumber", a.error());
            }
            out.add(a.result() == null || a.result().isNull() ? Optional.empty()
                    : Optional.of(blockRef(transport, a.result())));
        }
        return out;
    }

    static BlockRef blockRef(RpcTransport transport, JsonNode b) {
        try {
            return new BlockRef(Numeric.decodeQuantity(b.get("number").asText()).longValueExact(),
                    LogsParser.lower(b.get("hash").asText()), LogsParser.lower(b.get("parentHash").asText()),
                    Numeric.decodeQuantity(b.get("timestamp").asText()).longValue());
        } catch (RuntimeException e) {
            throw new ChainException(ErrorCode.CHAIN_ERROR, "eth_getBlockByNumber: " + transport.where()
                    + " answered a block without number, hash, parentHash or timestamp");
        }
    }

    static List<Optional<String>> transactionInputs(RpcTransport transport, RpcBatch batch, List<String> hashes) {
        List<RpcBatch.Call> calls = new ArrayList<>(hashes.size());
        for (String h : hashes) {
            calls.add(new RpcBatch.Call("eth_getTransactionByHash", List.of(h)));
        }
        List<RpcBatch.Answer> answers;
        try {
            answers = batch.send(calls);
        } catch (ChainException e) {
            LOG.debug("transaction inputs not read: {}", e.getMessage());
            return new ArrayList<>(Collections.nCopies(hashes.size(), Optional.empty()));
        }
        List<Optional<String>> out = new ArrayList<>(hashes.size());
        for (RpcBatch.Answer a : answers) {
            JsonNode input = a.result() == null ? null : a.result().get("input");
            out.add(input == null || input.isNull() ? Optional.empty() : Optional.of(LogsParser.lower(input.asText())));
        }
        return out;
    }
}
