package io.gemforce.sync.testbed;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * A real Anvil node from the repository's npm packages ({@code npm ci} installs it), on a free
 * loopback port, with {@code --hardfork cancun} and a private HOME that is deleted on close
 * (TESTBED.md: Anvil otherwise leaves state files under $HOME/.foundry).
 */
public final class Anvil implements AutoCloseable {
    /** Without Jackson's 20 MB limit on a string: a long chain's {@link #dumpState} is one string of 100 MB and more. */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build()).build());
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The default funded, unlocked account. */
    public static final String DEPLOYER = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    private final Process process;
    private final Path home;
    private final int port;
    private final OkHttpClient http;
    private final AtomicInteger ids = new AtomicInteger();
    private final Web3j web3j;

    private Anvil(Process process, Path home, int port, Duration timeout) {
        this.process = process;
        this.home = home;
        this.port = port;
        this.http = new OkHttpClient.Builder().callTimeout(timeout).readTimeout(timeout).build();
        this.web3j = Web3j.build(new HttpService(rpcUrl(), http));
    }

    /** CPU time the node's process has used so far (user and system), or zero where the OS does not say. */
    public Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    public static Anvil start() {
        return start(List.of());
    }

    /**
     * A node without history ({@code --prune-history}): mining long chains stays fast and memory-only
     * (TESTBED.md), logs and headers stay queryable, but state is kept for the last {@code states}
     * blocks only, so {@code eth_call} further back fails, as on non-archive endpoints. {@code states}
     * 0 keeps the head's state alone and is much the fastest to mine (measured here: 10,000 blocks in
     * about 1 s, against 2 to 4 s and growing with the chain for 64 kept states).
     */
    public static Anvil startPruned(long states) {
        if (states < 0) {
            throw new IllegalArgumentException("states must not be negative");
        }
        return start(states == 0 ? List.of("--prune-history") : List.of("--prune-history", Long.toString(states)));
    }

    /**
     * Like {@link #start()}, with more Anvil options, e.g. {@code List.of("--prune-history", "20")}
     * for a node that keeps the state of the last blocks only (TESTBED.md: {@code eth_call} further
     * back fails with "BlockOutOfRangeError").
     */
    public static Anvil start(List<String> extraArgs) {
        return start(31337, extraArgs);
    }

    /** A node serving chain {@code chainId} (e.g. a second chain beside the default 31337). */
    public static Anvil start(long chainId, List<String> extraArgs) {
        return start(chainId, extraArgs, DEFAULT_TIMEOUT);
    }

    /**
     * Like {@link #start(long, List)}, with the time a JSON-RPC call ({@link #rpc}, {@link #web3j()})
     * may take, 30 s otherwise: longer for a node that must keep up on a
     * busy machine (a niced run beside CPU-bound work can wait many seconds for a 10,000-block
     * {@code anvil_mine}).
     */
    public static Anvil start(long chainId, List<String> extraArgs, Duration timeout) {
        Path root = RepoRoot.find();
        Path bin = root.resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("Anvil is not installed: run 'npm ci' in " + root + " (looked for " + bin + ")");
        }
        try {
            Path home = Files.createTempDirectory("anvil-home");
            int port = freePort();
            Path log = Path.of("target", "anvil-" + port + ".log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--host", "127.0.0.1", "--port", String.valueOf(port),
                    "--hardfork", "cancun", "--chain-id", String.valueOf(chainId)));
            cmd.addAll(extraArgs);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("HOME", home.toString());
            Process p = pb.start();
            Anvil a = new Anvil(p, home, port, timeout);
            a.awaitReady();
            return a;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Anvil exited with " + process.exitValue());
            }
            try {
                rpc("eth_chainId");
                return;
            } catch (RuntimeException notYet) {
                sleep(50);
            }
        }
        throw new IllegalStateException("Anvil did not answer within 30 s");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String rpcUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Web3j web3j() {
        return web3j;
    }

    /** A raw JSON-RPC call; returns {@code result}, throws on an error answer. */
    public JsonNode rpc(String method, Object... params) {
        return rpc(http, method, params);
    }

    private JsonNode rpc(OkHttpClient client, String method, Object... params) {
        try {
            String body = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", ids.incrementAndGet(), "method", method,
                    "params", List.of(params)));
            Request req = new Request.Builder().url(rpcUrl()).post(RequestBody.create(body, JSON_TYPE)).build();
            try (Response r = client.newCall(req).execute()) {
                JsonNode n = JSON.readTree(r.body().string());
                if (n.has("error")) {
                    throw new IllegalStateException(method + ": " + n.get("error"));
                }
                return n.get("result");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Wipes the chain: block 0, fresh state. */
    public void reset() {
        rpc("anvil_reset");
    }

    public long blockNumber() {
        return Long.decode(rpc("eth_blockNumber").asText());
    }

    public void mine(int blocks) {
        rpc("anvil_mine", "0x" + Integer.toHexString(blocks));
    }

    public void increaseTime(long seconds) {
        rpc("evm_increaseTime", seconds);
    }

    public String snapshot() {
        return rpc("evm_snapshot").asText();
    }

    public void revert(String snapshot) {
        rpc("evm_revert", snapshot);
    }

    public List<String> accounts() {
        List<String> out = new ArrayList<>();
        rpc("eth_accounts").forEach(n -> out.add(n.asText().toLowerCase()));
        return out;
    }

    /**
     * {@code anvil_dumpState}: the node's state with its blocks, transactions and receipts (not its
     * historical states unless started with {@code --preserve-historical-states}), as Anvil returns
     * it: gzip-compressed JSON in a {@code 0x} hex string. A long chain makes a large dump (about
     * 180 characters a block) and a slow answer, so the call may take up to {@code timeout}.
     */
    public String dumpState(Duration timeout) {
        return rpc(slowClient(timeout), "anvil_dumpState").asText();
    }

    /**
     * {@code anvil_loadState} of a {@link #dumpState} answer: the dump's accounts become the head's
     * state and its blocks and transactions the chain, so blocks, headers, receipts and logs answer as
     * they did on the node dumped. The node must be started with {@code --no-request-size-limit} for
     * a dump over 2 MB, and with the same genesis as the node dumped (same {@code --timestamp},
     * chain id and hardfork) for block 1's parent hash to be this node's block 0.
     */
    public void loadState(String dump, Duration timeout) {
        if (!rpc(slowClient(timeout), "anvil_loadState", dump).asBoolean()) {
            throw new IllegalStateException("anvil_loadState answered false");
        }
    }

    private OkHttpClient slowClient(Duration timeout) {
        return http.newBuilder().callTimeout(timeout).readTimeout(timeout).writeTimeout(timeout).build();
    }

    @Override
    public void close() {
        web3j.shutdown();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
