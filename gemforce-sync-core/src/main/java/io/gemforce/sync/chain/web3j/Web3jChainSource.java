package io.gemforce.sync.chain.web3j;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.NotADiamondException;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.event.LoupeAbi;
import io.gemforce.sync.event.MalformedEventException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;

/**
 * The default {@link ChainSource}: JSON-RPC through web3j over OkHttp.
 *
 * <ul>
 *   <li>Provider errors are classified: range refusals ("query returned more than N results",
 *       "block range is too wide", "range is too large, max is N", "exceed max block range: N",
 *       "Try with this block range [a, b]", "logs matched by query exceeds limit of N", ...) become
 *       {@link ChainException.RangeTooLarge} with the hinted range; HTTP 429 and "rate limit" /
 *       "too many requests" become {@link ChainException.RateLimited}; connection failures and 5xx
 *       {@link ChainException.Unavailable}; timeouts {@link ChainException.Timeout}.</li>
 *   <li>Rate limits, unavailability and timeouts are retried with exponential backoff and full
 *       jitter; with several RPC URLs each retry moves to the next one (fallback).</li>
 *   <li>A request rate limit spaces requests evenly.</li>
 *   <li>RPC URLs usually carry an API key: they appear in logs and exceptions only as
 *       {@code scheme://host[:port]/…}.</li>
 * </ul>
 * Safe for one caller at a time (the syncer's use); the request counters are thread-safe.
 */
public final class Web3jChainSource implements ChainSource {
    private static final Logger LOG = LoggerFactory.getLogger(Web3jChainSource.class);
    private static final String FACETS = "0x7a0ed627";
    private static final String OWNER = "0x8da5cb5b";

    private final List<String> urls;
    private final List<Web3j> clients;
    private final int maxAttempts;
    private final Duration baseBackoff;
    private final Duration maxBackoff;
    private final RateLimiter limiter;
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private volatile int current;
    private volatile Long chainId;

    private Web3jChainSource(Builder b) {
        if (b.urls.isEmpty()) {
            throw new IllegalArgumentException("at least one RPC URL is required");
        }
        this.urls = List.copyOf(b.urls);
        this.maxAttempts = b.maxAttempts;
        this.baseBackoff = b.baseBackoff;
        this.maxBackoff = b.maxBackoff;
        this.limiter = new RateLimiter(b.requestsPerSecond);
        OkHttpClient base = b.client != null ? b.client : new OkHttpClient();
        OkHttpClient client = base.newBuilder()
                .callTimeout(b.timeout)
                .readTimeout(b.timeout)
                .connectTimeout(b.timeout.compareTo(Duration.ofSeconds(10)) < 0 ? b.timeout : Duration.ofSeconds(10))
                .addInterceptor(new StatusInterceptor())
                .build();
        List<Web3j> list = new ArrayList<>();
        for (String url : urls) {
            list.add(Web3j.build(new HttpService(url, client)));
        }
        this.clients = List.copyOf(list);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Requests sent so far, by JSON-RPC method (retries included). */
    public Map<String, Long> callCounts() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public void resetCallCounts() {
        calls.clear();
    }

    @Override
    public long chainId() {
        if (chainId == null) {
            var r = send("eth_chainId", w -> w.ethChainId());
            failOnError(r, "eth_chainId");
            chainId = r.getChainId().longValue();
        }
        return chainId;
    }

    @Override
    public BlockRef head() {
        return blockAt(DefaultBlockParameterName.LATEST)
                .orElseThrow(() -> new ChainException(ErrorCode.CHAIN_ERROR, "the node returned no latest block"));
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
        return Optional.of(new BlockRef(b.getNumber().longValueExact(), lower(b.getHash()), lower(b.getParentHash()),
                b.getTimestamp().longValue()));
    }

    @Override
    public List<RawLog> logs(LogQuery q) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(q.fromBlock())),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(q.toBlock())),
                q.addresses().stream().map(Address::hex).toList());
        if (!q.topic0s().isEmpty()) {
            filter.addOptionalTopics(q.topic0s().toArray(new String[0]));
        }
        EthLog r = send("eth_getLogs", w -> w.ethGetLogs(filter));
        if (r.hasError()) {
            String msg = Redaction.scrub(r.getError().getMessage(), urls);
            if (RpcErrors.isRangeTooLarge(msg)) {
                throw new ChainException.RangeTooLarge("eth_getLogs " + q.fromBlock() + ".." + q.toBlock() + ": " + msg,
                        RpcErrors.hintedEnd(msg, q.fromBlock(), q.toBlock()));
            }
            failOnError(r, "eth_getLogs");
        }
        List<RawLog> out = new ArrayList<>();
        for (EthLog.LogResult<?> result : r.getLogs()) {
            if (!(result.get() instanceof Log l) || l.isRemoved()) {
                continue;
            }
            out.add(new RawLog(Address.of(lower(l.getAddress())), l.getTopics().stream().map(Web3jChainSource::lower).toList(),
                    l.getData() == null ? "0x" : lower(l.getData()), l.getBlockNumber().longValueExact(),
                    lower(l.getBlockHash()), lower(l.getTransactionHash()), l.getLogIndex().longValueExact()));
        }
        return out;
    }

    @Override
    public List<Facet> facets(Address diamond, long block) {
        EthCall r = ethCall(diamond, FACETS, block);
        String value = r.hasError() ? null : r.getValue();
        if (r.hasError() && !isRevert(r.getError().getMessage())) {
            failOnError(r, "eth_call facets()");
        }
        if (value == null || value.equals("0x")) {
            if (!hasCode(diamond, block)) {
                throw new NotADiamondException(ErrorCode.NO_CODE, diamond + " holds no code at block " + block
                        + ": not a contract");
            }
            throw new NotADiamondException(ErrorCode.NOT_A_DIAMOND, diamond + " is a contract but not an EIP-2535 "
                    + "diamond: facets() " + (r.hasError() ? "reverted" : "returned nothing") + " at block " + block);
        }
        try {
            return LoupeAbi.decodeFacets(value);
        } catch (MalformedEventException e) {
            throw new NotADiamondException(ErrorCode.NOT_A_DIAMOND, diamond + " answered facets() with data that is not "
                    + "a list of facets at block " + block + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Address> owner(Address diamond, long block) {
        EthCall r = ethCall(diamond, OWNER, block);
        if (r.hasError()) {
            if (isRevert(r.getError().getMessage())) {
                return Optional.empty();
            }
            failOnError(r, "eth_call owner()");
        }
        try {
            return Optional.of(LoupeAbi.decodeAddress(r.getValue()));
        } catch (MalformedEventException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean hasCode(Address address, long block) {
        var r = send("eth_getCode", w -> w.ethGetCode(address.hex(), DefaultBlockParameter.valueOf(BigInteger.valueOf(block))));
        failOnError(r, "eth_getCode");
        String code = r.getCode();
        return code != null && !code.equals("0x") && !code.isEmpty();
    }

    @Override
    public Optional<String> transactionInput(String transactionHash) {
        var r = send("eth_getTransactionByHash", w -> w.ethGetTransactionByHash(transactionHash));
        failOnError(r, "eth_getTransactionByHash");
        return r.getTransaction().map(t -> lower(t.getInput()));
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
    }

    @Override
    public String toString() {
        return "Web3jChainSource" + urls.stream().map(Redaction::redact).toList();
    }

    // ---- transport ----

    private static boolean isRevert(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return m.contains("revert") || m.contains("invalid opcode") || m.contains("out of gas");
    }

    private void failOnError(org.web3j.protocol.core.Response<?> r, String what) {
        if (r.hasError()) {
            String msg = Redaction.scrub(r.getError().getMessage(), urls);
            throw new ChainException(ErrorCode.CHAIN_ERROR, what + " failed on " + Redaction.redact(urls.get(current))
                    + ": " + msg + " (code " + r.getError().getCode() + ")");
        }
    }

    /** Sends with rate limiting, retries, backoff and fallback; JSON-RPC errors other than rate limits are returned. */
    private <R extends org.web3j.protocol.core.Response<?>> R send(String method, Function<Web3j, Request<?, R>> request) {
        ChainException last = null;
        int total = maxAttempts * urls.size();
        for (int attempt = 0; attempt < total; attempt++) {
            if (attempt > 0) {
                backoff(attempt, last);
            }
            int index = current;
            try {
                limiter.acquire();
                calls.computeIfAbsent(method, k -> new LongAdder()).increment();
                R r = request.apply(clients.get(index)).send();
                if (r.hasError() && RpcErrors.isRateLimited(r.getError().getCode(), r.getError().getMessage())) {
                    last = new ChainException.RateLimited(method + ": " + Redaction.redact(urls.get(index))
                            + " rate-limited the client: " + Redaction.scrub(r.getError().getMessage(), urls));
                    rotate(index);
                    continue;
                }
                return r;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SyncException(ErrorCode.INTERRUPTED, method + " interrupted");
            } catch (HttpStatusException e) {
                String where = Redaction.redact(urls.get(index));
                if (e.status == 429) {
                    last = new ChainException.RateLimited(method + ": " + where + " answered HTTP 429 (rate limited)");
                } else if (e.status >= 500) {
                    last = new ChainException.Unavailable(method + ": " + where + " answered HTTP " + e.status, null);
                } else {
                    throw new ChainException(ErrorCode.CHAIN_ERROR, method + ": " + where + " answered HTTP " + e.status
                            + (e.status == 401 || e.status == 403 ? " (check the RPC URL's credentials)" : ""));
                }
                rotate(index);
            } catch (InterruptedIOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new SyncException(ErrorCode.INTERRUPTED, method + " interrupted");
                }
                last = new ChainException.Timeout(method + ": " + Redaction.redact(urls.get(index)) + " did not answer in time",
                        null);
                rotate(index);
            } catch (JsonProcessingException e) {
                last = new ChainException.Unavailable(method + ": " + Redaction.redact(urls.get(index))
                        + " answered something that is not JSON-RPC", null);
                rotate(index);
            } catch (IOException | RuntimeException e) {
                if (e instanceof SyncException se) {
                    throw se;
                }
                last = new ChainException.Unavailable(method + ": cannot reach " + Redaction.redact(urls.get(index)) + ": "
                        + e.getClass().getSimpleName() + " " + Redaction.scrub(e.getMessage(), urls), null);
                rotate(index);
            }
        }
        throw last;
    }

    private void rotate(int failed) {
        if (urls.size() > 1 && current == failed) {
            current = (failed + 1) % urls.size();
            LOG.info("switching RPC endpoint to {}", Redaction.redact(urls.get(current)));
        }
    }

    private void backoff(int attempt, ChainException cause) {
        long cap = Math.min(maxBackoff.toMillis(), baseBackoff.toMillis() << Math.min(attempt - 1, 20));
        long sleep = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        if (attempt >= 3) {
            LOG.warn("{}; retry {} in {} ms", cause.getMessage(), attempt, sleep);
        } else {
            LOG.debug("{}; retry {} in {} ms", cause.getMessage(), attempt, sleep);
        }
        try {
            Thread.sleep(sleep);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException(ErrorCode.INTERRUPTED, "interrupted while waiting to retry");
        }
    }

    /** Lower case; node answers are usually lower case already, so that case costs one scan and no copy. */
    private static String lower(String s) {
        if (s == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return s.toLowerCase(Locale.ROOT);
            }
        }
        return s;
    }

    /** HTTP 429 and 5xx as typed I/O errors, before web3j reads the body. */
    private static final class StatusInterceptor implements Interceptor {
        @Override
        public Response intercept(Chain chain) throws IOException {
            Response r = chain.proceed(chain.request());
            if (r.code() == 429 || r.code() >= 500 || r.code() == 401 || r.code() == 403) {
                int code = r.code();
                r.close();
                throw new HttpStatusException(code);
            }
            return r;
        }
    }

    static final class HttpStatusException extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        HttpStatusException(int status) {
            super("HTTP " + status);
            this.status = status;
        }
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

        private Builder() {
        }

        /** An RPC URL; several make a fallback list, tried in order. */
        public Builder rpcUrl(String url) {
            if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
                throw new io.gemforce.sync.InvalidInputException(ErrorCode.INVALID_ARGUMENT,
                        "an RPC URL must start with http:// or https://");
            }
            urls.add(url);
            return this;
        }

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

        /** A shared OkHttp client to derive from (connection pool, proxies, TLS). */
        public Builder okHttpClient(OkHttpClient client) {
            this.client = client;
            return this;
        }

        public Web3jChainSource build() {
            return new Web3jChainSource(this);
        }
    }
}
