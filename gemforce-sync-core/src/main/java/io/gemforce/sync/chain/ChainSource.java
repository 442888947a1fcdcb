package io.gemforce.sync.chain;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.SyncException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The port to an EVM node: everything the syncer reads from a chain. Implementations map provider
 * failures to {@link ChainException} subclasses and retry transient ones themselves; the default
 * implementation speaks JSON-RPC.
 *
 * <p>Threading: a source that returns {@code true} from {@link #threadSafe()} is called from several
 * threads at once (the range reader keeps several {@code eth_getLogs} in flight). Any other source is
 * called by one thread at a time: the syncer serializes every call into it, holding the source
 * object's lock, across all runs and all syncers that share it. {@code Web3jChainSource} is
 * thread-safe.
 *
 * <p>Failures: throw {@link ChainException} (or a subclass) with its code; any other exception is
 * typed by the engine as a {@code ChainException} ({@code CHAIN_ERROR}) with it as the cause.
 *
 * <p>The batch-shaped methods ({@link #blocks}, {@link #loupe}, {@link #transactionInputs}) have
 * defaults that loop over the single calls, so a source only overrides them to save round trips
 * (JSON-RPC batches).
 */
public interface ChainSource extends AutoCloseable {

    /** The chain id the node serves ({@code eth_chainId}). */
    long chainId();

    /** The latest block. */
    BlockRef head();

    /** The block at {@code number}, or empty when the chain is not that long. */
    Optional<BlockRef> block(long number);

    /**
     * The logs matching {@code query}, in any order.
     *
     * @throws ChainException.RangeTooLarge when the node refuses the range or caps the result
     */
    List<RawLog> logs(LogQuery query);

    /**
     * The loupe's {@code facets()} at {@code block}.
     *
     * @throws io.gemforce.sync.NotADiamondException when the address holds no code or the call
     *     reverts or answers something that is not a {@code facets()} result
     */
    List<Facet> facets(Address diamond, long block);

    /** ERC-173 {@code owner()} at {@code block}, or empty when the contract has no such function. */
    Optional<Address> owner(Address diamond, long block);

    /** Whether the address holds code at {@code block}. */
    boolean hasCode(Address address, long block);

    /**
     * The input data of a transaction ({@code eth_getTransactionByHash}), 0x-prefixed hex, or empty
     * when the node does not know it. Used to show what a pending upgrade proposes; sources that
     * cannot answer keep this default.
     */
    default Optional<String> transactionInput(String transactionHash) {
        return Optional.empty();
    }

    /**
     * {@link #logs} and the header of the query's last block, in one round trip where the node allows
     * (the range reader uses it for the last address chunk of each range).
     *
     * @throws ChainException.RangeTooLarge when the node refuses the range or caps the result
     */
    default RangeLogs logsAndEnd(LogQuery query) {
        List<RawLog> logs = logs(query);
        return new RangeLogs(logs, block(query.toBlock()));
    }

    /**
     * One round of log reads: {@code main} (nullable) with its last block's header, as
     * {@link #logsAndEnd}, and {@code extra} queries riding along, in one round trip where the node
     * allows (the range reader sends the logs of newly found diamonds this way instead of as requests
     * of their own). A refusal of the main query is returned, not thrown; a refused extra query is a
     * {@code null} element. Other failures are thrown.
     */
    default LogsRound logsRound(LogQuery main, List<LogQuery> extra) {
        List<List<RawLog>> answers = new ArrayList<>(extra.size());
        for (LogQuery q : extra) {
            try {
                answers.add(logs(q));
            } catch (ChainException.RangeTooLarge e) {
                answers.add(null);
            }
        }
        if (main == null) {
            return new LogsRound(null, null, answers);
        }
        try {
            return new LogsRound(logsAndEnd(main), null, answers);
        } catch (ChainException.RangeTooLarge e) {
            return new LogsRound(null, e, answers);
        }
    }

    /**
     * {@link #logsRound(LogQuery, List)} and the headers numbered {@code headers}, in the same round
     * trip where the node allows (the range reader asks this way for the headers a range's reorg checks
     * will need near the head, instead of a round trip of their own once the logs are in). The headers
     * are a read ahead: one the node does not give (or a failed read of them) is absent from
     * {@link LogsRound#headers}, and none are read when the main query is refused. The default reads
     * them after the logs, with {@link #blocks}.
     */
    default LogsRound logsRound(LogQuery main, List<LogQuery> extra, List<Long> headers) {
        LogsRound r = logsRound(main, extra);
        if (headers.isEmpty() || r.refused() != null) {
            return r;
        }
        Map<Long, BlockRef> read = new HashMap<>();
        try {
            List<Optional<BlockRef>> got = blocks(headers);
            for (int i = 0; i < headers.size(); i++) {
                Long n = headers.get(i);
                got.get(i).ifPresent(b -> read.put(n, b));
            }
        } catch (ChainException e) {
            read.clear(); // the caller reads what it still needs when it needs it
        }
        return new LogsRound(r.main(), r.refused(), r.extra(), read);
    }

    /**
     * Several headers, in as few round trips as the node allows; element {@code i} answers
     * {@code numbers.get(i)}.
     */
    default List<Optional<BlockRef>> blocks(List<Long> numbers) {
        List<Optional<BlockRef>> out = new ArrayList<>(numbers.size());
        for (long n : numbers) {
            out.add(block(n));
        }
        return out;
    }

    /**
     * The loupe's {@code facets()} and {@code owner()} of several diamonds at one block, in as few
     * round trips as the node allows; element {@code i} answers {@code diamonds.get(i)}. A diamond
     * that cannot be read gets its typed failure in its answer ({@link io.gemforce.sync.NotADiamondException}
     * for no code or no loupe, {@link ChainException.StateUnavailable} when the node has pruned that
     * block's state); a failure of the node itself (unreachable, rate limited) is thrown.
     */
    default List<LoupeAnswer> loupe(List<io.gemforce.sync.diamond.Address> diamonds, long block) {
        List<LoupeAnswer> out = new ArrayList<>(diamonds.size());
        for (io.gemforce.sync.diamond.Address d : diamonds) {
            List<Facet> facets;
            try {
                facets = facets(d, block);
            } catch (io.gemforce.sync.NotADiamondException | ChainException.StateUnavailable e) {
                out.add(LoupeAnswer.failed(d, block, e));
                continue;
            }
            out.add(LoupeAnswer.of(d, block, facets, owner(d, block)));
        }
        return out;
    }

    /** {@link #transactionInput} of several transactions; element {@code i} answers {@code hashes.get(i)}. */
    default List<Optional<String>> transactionInputs(List<String> hashes) {
        List<Optional<String>> out = new ArrayList<>(hashes.size());
        for (String h : hashes) {
            try {
                out.add(transactionInput(h));
            } catch (SyncException e) {
                out.add(Optional.empty());
            }
        }
        return out;
    }

    /**
     * Whether {@link #logs} and the log rounds accept a query for any emitter
     * ({@link LogQuery#anyAddress()}: no address filter, topic0 values only), as {@code eth_getLogs}
     * does. With it, {@code syncAll} over a network with factories reads each range once for every
     * emitter and keeps the logs of the diamonds it tracks, instead of reading a newly created
     * diamond's logs again in every range already in flight. {@code false} (the default): every
     * query names its addresses.
     */
    default boolean anyAddressLogs() {
        return false;
    }

    /**
     * Whether this source may be called from several threads at once. {@code false} (the default):
     * the syncer calls it from one thread at a time.
     */
    default boolean threadSafe() {
        return false;
    }

    @Override
    default void close() {
    }
}
