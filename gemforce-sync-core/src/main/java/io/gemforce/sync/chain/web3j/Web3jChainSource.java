package io.gemforce.sync.chain.web3j;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.LoupeAnswer;
import io.gemforce.sync.chain.RangeLogs;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.http.HttpService;

/**
 * The default {@link ChainSource}: JSON-RPC over OkHttp, through web3j for single calls, with
 * hand-built JSON-RPC batches and a streaming reader for {@code eth_getLogs}.
 *
 * <ul>
 *   <li>Provider errors are classified: range refusals ("query returned more than N results",
 *       "block range is too wide", "range is too large, max is N", "exceed max block range: N",
 *       "Try with this block range [a, b]", "logs matched by query exceeds limit of N", ...) become
 *       {@link ChainException.RangeTooLarge} with the hinted range; HTTP 429 and "rate limit" /
 *       "too many requests" become {@link ChainException.RateLimited}; connection failures and 5xx
 *       {@link ChainException.Unavailable}; timeouts {@link ChainException.Timeout}; an
 *       {@code eth_call} or {@code eth_getCode} at a block whose state the node has pruned ("missing
 *       trie node", "BlockOutOfRangeError", ...) {@link ChainException.StateUnavailable}.</li>
 *   <li>Rate limits, unavailability and timeouts are retried with exponential backoff and full
 *       jitter; with several RPC URLs each retry moves to the next one (fallback).</li>
 *   <li>A request rate limit spaces requests evenly.</li>
 *   <li>{@link #blocks}, {@link #loupe} and {@link #transactionInputs} send JSON-RPC batches of at
 *       most {@link Builder#maxBatchCalls} calls; a node found to refuse batches gets single calls
 *       from then on (see {@link RpcBatch}). Per-call errors inside a batch are classified like those
 *       of single calls.</li>
 *   <li>{@link #logs} reads the answer with Jackson's streaming parser straight into {@link RawLog}s.</li>
 *   <li>RPC URLs usually carry an API key: they appear in logs and exceptions only as
 *       {@code scheme://host[:port]/…}.</li>
 * </ul>
 *
 * <p>Thread-safe ({@link #threadSafe()} is {@code true}): any number of threads may call it at once,
 * e.g. several {@code eth_getLogs} in flight. The rate limit spaces all threads' requests together;
 * the endpoint in use moves on once per failure of the current one however many threads saw it;
 * counters are lock-free; OkHttp does not limit synchronous calls per host, and the client this
 * source creates keeps up to 16 idle connections (a client given
 * with {@link Builder#okHttpClient} keeps its own pool and dispatcher).
 */
public final class Web3jChainSource implements ChainSource {
    private static final Logger LOG = LoggerFactory.getLogger(Web3jChainSource.class);

    private final RpcTransport transport;
    private final RpcBatch batch;
    private final List<Web3j> clients;
    private final AtomicLong ids = new AtomicLong();
    private final boolean anyAddressLogs;
    private volatile Long chainId;

    private Web3jChainSource(Builder b) {
        if (b.urls.isEmpty()) {
            throw new IllegalArgumentException("at least one RPC URL is required");
        }
        this.transport = new RpcTransport(b.urls, b.client, b.timeout, b.maxAttempts, b.baseBackoff, b.maxBackoff,
                b.requestsPerSecond);
        this.batch = new RpcBatch(transport, b.maxBatchCalls);
        List<Web3j> list = new ArrayList<>();
        for (String url : transport.urls()) {
            list.add(Web3j.build(new HttpService(url, transport.http())));
        }
        this.clients = List.copyOf(list);
        this.anyAddressLogs = b.anyAddressLogs;
    }

    /** A builder; at least one RPC URL is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * JSON-RPC calls sent so far (retries included), by method, whether alone or inside a batch:
     * what a provider bills.
     */
    /**
     * HTTP tries so far by method (a batch under {@code batch(m1+m2)}), provider (scheme, host and
     * port only: keys in URLs are never shown) and outcome ({@code ok} or the {@code ErrorCode} of a
     * failed try, retries included): what a metrics endpoint exports as RPC calls and errors.
     */
    public List<RpcTries> rpcTries() {
        List<RpcTries> out = new java.util.ArrayList<>();
        transport.outcomeCounts().forEach((k, n) -> out.add(new RpcTries(k.get(0), k.get(1), k.get(2), n)));
        return out;
    }

    public Map<String, Long> callCounts() {
        return transport.callCounts();
    }

    /**
     * HTTP requests sent so far (retries included): a single call under its method, a JSON-RPC batch
     * as one request under {@code batch(<methods>)}, e.g. {@code batch(eth_call)} or
     * {@code batch(eth_getBlockByNumber+eth_getLogs)}. The sum is the number of round trips.
     */
    public Map<String, Long> requestCounts() {
        return transport.requestCounts();
    }

    /** Starts {@link #callCounts()} and {@link #requestCounts()} again from zero. */
    public void resetCallCounts() {
        transport.resetCallCounts();
    }

    /** Whether this source found that its node refuses JSON-RPC batches (it then sends single calls). */
    public boolean batchesRefused() {
        return batch.refused();
    }

    /** {@inheritDoc} Always {@code true}: see the class comment. */
    @Override
    public boolean threadSafe() {
        return true;
    }

    /** {@inheritDoc} {@code true} unless turned off with {@link Builder#anyAddressLogs}. */
    @Override
    public boolean anyAddressLogs() {
        return anyAddressLogs;
    }

    @Override
    public long chainId() {
        Long id = chainId;
        if (id == null) {
            var r = send("eth_chainId", w -> w.ethChainId());
            failOnError(r, "eth_chainId");
            id = r.getChainId().longValue();
            chainId = id;
        }
        return id;
    }

    @Override
    public BlockRef head() {
        BlockRef head = blockAt(DefaultBlockParameterName.LATEST)
                .orElseThrow(() -> new ChainException(ErrorCode.CHAIN_ERROR, "the node returned no latest block"));
        transport.noteHead(head.number());
        return head;
    }

    @Override
    public Optional<BlockRef> block(long number) {
        return blockAt(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)));
    }

    private Optional<BlockRef> blockAt(DefaultBlockParameter param) {
        EthBlock r = send("eth_getBlockByNumber", w -> w.ethGetBlockByNumber(param, false));
        failOnError(r, "eth_getBlockByNumber");
        EthBlock.Block b = r.getBlock();
        if (b == null) {
            return Optional.empty();
        }
        return Optional.of(new BlockRef(b.getNumber().longValueExact(), LogsParser.lower(b.getHash()),
                LogsParser.lower(b.getParentHash()), b.getTimestamp().longValue()));
    }

    /** {@inheritDoc} In JSON-RPC batches. */
    @Override
    public List<Optional<BlockRef>> blocks(List<Long> numbers) {
        return BatchReads.blocks(transport, batch, numbers);
    }

    @Override
    public List<RawLog> logs(LogQuery q) {
        return logs(q, q.fromBlock() == q.toBlock() ? Integer.MAX_VALUE : LogsParser.MAX_LOGS_PER_ANSWER);
    }

    /** {@code eth_getLogs}, its answer read up to {@code maxLogs} logs (past that: a range too large). */
    List<RawLog> logs(LogQuery q, int maxLogs) {
        return LogsParser.read(transport, q, ids.incrementAndGet(), maxLogs);
    }

    /** {@inheritDoc} One JSON-RPC batch. */
    @Override
    public io.gemforce.sync.chain.LogsRound logsRound(LogQuery main, List<LogQuery> extra) {
        return logsRound(main, extra, List.of());
    }

    /** {@inheritDoc} One JSON-RPC batch; headers past {@link Builder#maxBatchCalls} are left out (a read ahead). */
    @Override
    public io.gemforce.sync.chain.LogsRound logsRound(LogQuery main, List<LogQuery> extra, List<Long> headers) {
        int fixed = extra.size() + (main != null ? 2 : 0);
        List<Long> asked = batch.refused() ? headers
                : headers.subList(0, Math.min(headers.size(), Math.max(0, batch.maxCalls() - fixed)));
        Supplier<io.gemforce.sync.chain.LogsRound> singles = () -> asked.isEmpty()
                ? ChainSource.super.logsRound(main, extra) : ChainSource.super.logsRound(main, extra, asked);
        if (batch.refused() || fixed + asked.size() < 2) {
            return singles.get();
        }
        return LogsRoundBatch.read(transport, batch, main, extra, asked, b -> BatchReads.blockRef(transport, b), singles,
                q -> logs(q, Integer.MAX_VALUE));
    }

    /** {@inheritDoc} One JSON-RPC batch of {@code eth_getLogs} and {@code eth_getBlockByNumber}. */
    @Override
    public RangeLogs logsAndEnd(LogQuery q) {
        if (batch.refused()) {
            return ChainSource.super.logsAndEnd(q);
        }
        io.gemforce.sync.chain.LogsRound r = logsRound(q, List.of());
        if (r.refused() != null) {
            throw r.refused();
        }
        return r.main();
    }

    @Override
    public List<Facet> facets(Address diamond, long block) {
        EthCall r = ethCall(diamond, LoupeReads.FACETS, block);
        return LoupeReads.facets(transport, diamond, block, r.hasError() ? null : r.getValue(),
                r.hasError() ? RpcError.of(r.getError()) : null).orThrow(diamond, block, () -> hasCode(diamond, block));
    }

    @Override
    public Optional<Address> owner(Address diamond, long block) {
        EthCall r = ethCall(diamond, LoupeReads.OWNER, block);
        return LoupeReads.owner(transport, diamond, block, r.hasError() ? null : r.getValue(),
                r.hasError() ? RpcError.of(r.getError()) : null);
    }

    @Override
    public boolean hasCode(Address address, long block) {
        var r = send("eth_getCode", w -> w.ethGetCode(address.hex(), DefaultBlockParameter.valueOf(BigInteger.valueOf(block))));
        return LoupeReads.hasCode(transport, address, block, r.hasError() ? null : r.getCode(),
                r.hasError() ? RpcError.of(r.getError()) : null);
    }

    /** {@inheritDoc} In JSON-RPC batches: {@code facets()} and {@code owner()} of all, then {@code eth_getCode} where needed. */
    @Override
    public List<LoupeAnswer> loupe(List<Address> diamonds, long block) {
        return diamonds.isEmpty() ? List.of() : LoupeReads.loupe(transport, batch, diamonds, block);
    }

    @Override
    public Optional<String> transactionInput(String transactionHash) {
        var r = send("eth_getTransactionByHash", w -> w.ethGetTransactionByHash(transactionHash));
        failOnError(r, "eth_getTransactionByHash");
        return r.getTransaction().map(t -> LogsParser.lower(t.getInput()));
    }

    /** {@inheritDoc} In JSON-RPC batches; a transaction the node cannot answer is empty, as one call at a time. */
    @Override
    public List<Optional<String>> transactionInputs(List<String> hashes) {
        return BatchReads.transactionInputs(transport, batch, hashes);
    }

    private EthCall ethCall(Address to, String data, long block) {
        Transaction tx = Transaction.createEthCallTransaction(null, to.hex(), data);
        return send("eth_call", w -> w.ethCall(tx, DefaultBlockParameter.valueOf(BigInteger.valueOf(block))));
    }

    @Override
    public void close() {
        for (Web3j w : clients) {
            w.shutdown();
        }
        batch.close();
        transport.close();
    }

    @Override
    public String toString() {
        return "Web3jChainSource" + transport.urls().stream().map(Redaction::redact).toList();
    }

    // ---- single calls through web3j ----

    private void failOnError(org.web3j.protocol.core.Response<?> r, String what) {
        if (r.hasError()) {
            throw transport.chainError(what, RpcError.of(r.getError()));
        }
    }

    /** One web3j call with the transport's rate limit, retries, backoff and fallback; JSON-RPC errors other than rate limits are returned. */
    private <R extends org.web3j.protocol.core.Response<?>> R send(String method, Function<Web3j, Request<?, R>> request) {
        return transport.send(method, index -> {
            R r = request.apply(clients.get(index)).send();
            if (r.hasError() && RpcErrors.isRateLimited(r.getError().getCode(), r.getError().getMessage())) {
                throw new RpcTransport.RateLimitedAnswer(r.getError().getMessage());
            }
            return r;
        });
    }

    /** A block number as a JSON-RPC quantity. */
    static String quantity(long n) {
        return "0x" + Long.toHexString(n);
    }

    /** Configures a {@link Web3jChainSource}. */
    public static final class Builder {
        private final List<String> urls = new ArrayList<>();
        private Duration timeout = Duration.ofSeconds(30);
        private int maxAttempts = 5;
        private Duration baseBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(15);
        private double requestsPerSecond;
        private OkHttpClient client;
        private int maxBatchCalls = RpcBatch.DEFAULT_MAX_CALLS;
        private boolean anyAddressLogs = true;

        private Builder() {
        }

        /**
         * An RPC URL; several make a fallback list, tried in order. When every URL is plain {@code http://}
         * (a local or in-network node) and no {@link #okHttpClient} is given, the source's HTTP client is
         * built without TLS, which saves loading the trust store; an endpoint that redirects to {@code https://}
         * then fails to connect: give its {@code https://} URL.
         */
        public Builder rpcUrl(String url) {
            if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
                throw new io.gemforce.sync.InvalidInputException(ErrorCode.INVALID_ARGUMENT,
                        "an RPC URL must start with http:// or https://");
            }
            urls.add(url);
            return this;
        }

        /** {@link #rpcUrl} for each, in order. */
        public Builder rpcUrls(List<String> list) {
            list.forEach(this::rpcUrl);
            return this;
        }

        /** Per request (30 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Tries per URL for a transient failure (5). */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be positive");
            }
            this.maxAttempts = attempts;
            return this;
        }

        /** First and largest wait between retries (250 ms, 15 s); each wait is jittered. */
        public Builder backoff(Duration base, Duration max) {
            this.baseBackoff = base;
            this.maxBackoff = max;
            return this;
        }

        /** At most this many requests per second (0: no limit, the default). */
        public Builder requestsPerSecond(double perSecond) {
            this.requestsPerSecond = perSecond;
            return this;
        }

        /**
         * At most this many calls in one JSON-RPC batch (100); longer lists are split. 1 turns
         * batches off.
         */
        public Builder maxBatchCalls(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("maxBatchCalls must be positive");
            }
            this.maxBatchCalls = calls;
            return this;
        }

        /**
         * Whether {@code eth_getLogs} may be sent without an address filter ({@code true}, the
         * default; see {@link ChainSource#anyAddressLogs()}). Turn it off for a provider that requires
         * addresses in every log query.
         */
        public Builder anyAddressLogs(boolean allowed) {
            this.anyAddressLogs = allowed;
            return this;
        }

        /**
         * A shared OkHttp client to derive from (connection pool, dispatcher, proxies, TLS). Its pool
         * should keep enough idle connections for the requests this source has in flight at once.
         */
        public Builder okHttpClient(OkHttpClient client) {
            this.client = client;
            return this;
        }

        /** The source; no request is sent yet. */
        public Web3jChainSource build() {
            return new Web3jChainSource(this);
        }
    }
}
