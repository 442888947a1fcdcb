package io.gemforce.sync.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.NotADiamondException;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.diamond.Address;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Error paths of the JSON-RPC client against a scripted HTTP server (the happy paths run on Anvil). */
class Web3jChainSourceFaultTest {
    private final MockWebServer server = new MockWebServer();
    private static final Address A = Address.of("0x00000000000000000000000000000000000000d1");

    private static MockResponse ok(String result) {
        return new MockResponse().setHeader("Content-Type", "application/json")
                .setBody("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + result + "}");
    }

    private static MockResponse error(int code, String message) {
        return new MockResponse().setHeader("Content-Type", "application/json")
                .setBody("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\"}}");
    }

    private Web3jChainSource source(String path, int attempts) {
        return Web3jChainSource.builder().rpcUrl(server.url(path).toString()).maxAttempts(attempts)
                .timeout(Duration.ofMillis(500)).backoff(Duration.ofMillis(1), Duration.ofMillis(4)).build();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    @Test
    void retries429And5xxThenSucceeds() {
        server.enqueue(new MockResponse().setResponseCode(429));
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(error(-32005, "rate limit exceeded"));
        server.enqueue(ok("\"0x7a69\""));
        assertThat(source("/", 5).chainId()).isEqualTo(31337);
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void givesUpWithATypedErrorThatHidesTheKey() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse().setResponseCode(429));
        }
        Web3jChainSource s = source("/v2/SUPERSECRETKEY123456789", 3);
        assertThatThrownBy(s::chainId).isInstanceOf(ChainException.RateLimited.class)
                .satisfies(e -> assertThat(((SyncException) e).code()).isEqualTo(ErrorCode.RATE_LIMITED))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SUPERSECRETKEY"));
        assertThat(s.toString()).doesNotContain("SUPERSECRETKEY");
    }

    @Test
    void aServerErrorsAfterRetriesIsUnavailable() {
        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse().setResponseCode(502));
        }
        assertThatThrownBy(() -> source("/", 2).head()).isInstanceOf(ChainException.Unavailable.class);
    }

    @Test
    void aSlowAnswerIsATimeout() {
        for (int i = 0; i < 2; i++) {
            server.enqueue(ok("\"0x1\"").setHeadersDelay(2, TimeUnit.SECONDS));
        }
        assertThatThrownBy(() -> source("/", 2).chainId()).isInstanceOf(ChainException.Timeout.class);
    }

    @Test
    void aConnectionResetIsRetried() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        server.enqueue(ok("\"0x1\""));
        assertThat(source("/", 3).chainId()).isEqualTo(1);
    }

    @Test
    void anUnreachableNodeIsUnavailableAndTheUrlKeyIsHidden() throws IOException {
        server.start();
        String url = server.url("/v3/HIDDENKEY0123456789").toString();
        server.shutdown();
        Web3jChainSource s = Web3jChainSource.builder().rpcUrl(url).maxAttempts(2)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build();
        assertThatThrownBy(s::head).isInstanceOf(ChainException.Unavailable.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("HIDDENKEY0123456789"));
    }

    @Test
    void fallsBackToTheNextUrl() throws IOException {
        try (MockWebServer second = new MockWebServer()) {
            server.enqueue(new MockResponse().setResponseCode(503));
            second.enqueue(ok("\"0x2105\""));
            Web3jChainSource s = Web3jChainSource.builder().rpcUrl(server.url("/").toString())
                    .rpcUrl(second.url("/").toString()).maxAttempts(1).backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                    .build();
            assertThat(s.chainId()).isEqualTo(8453);
        }
    }

    @Test
    void rangeRefusalsCarryTheHint() {
        server.enqueue(error(-32602, "query returned more than 10000 results. Try with this block range [0x64, 0x96]."));
        assertThatThrownBy(() -> source("/", 3).logs(new LogQuery(100, 1000, List.of(A), List.of())))
                .isInstanceOf(ChainException.RangeTooLarge.class)
                .satisfies(e -> assertThat(((ChainException.RangeTooLarge) e).suggestedToBlock()).isEqualTo(150));
        assertThat(server.getRequestCount()).as("not retried").isEqualTo(1);
    }

    @Test
    void aRangeRefusalWithAnHttp400IsStillARangeRefusal() {
        server.enqueue(error(-32602, "block range is too wide, max is 1k blocks").setResponseCode(400));
        assertThatThrownBy(() -> source("/", 3).logs(new LogQuery(100, 5000, List.of(A), List.of())))
                .isInstanceOf(ChainException.RangeTooLarge.class)
                .satisfies(e -> assertThat(((ChainException.RangeTooLarge) e).suggestedToBlock()).isEqualTo(1099));
    }

    @Test
    void aLogAnswerThatIsNotJsonRpcIsRetried() {
        server.enqueue(ok("[\"0xabc\"]"));
        server.enqueue(new MockResponse().setBody("<html>gateway</html>"));
        server.enqueue(ok("[]"));
        assertThat(source("/", 3).logs(new LogQuery(1, 2, List.of(A), List.of()))).isEmpty();
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void aRevertedLoupeIsNotADiamondAndGarbageIsRejected() {
        server.enqueue(error(3, "execution reverted"));
        server.enqueue(ok("\"0x6080\"")); // eth_getCode: it is a contract
        assertThatThrownBy(() -> source("/", 1).facets(A, 5)).isInstanceOf(NotADiamondException.class)
                .satisfies(e -> assertThat(((SyncException) e).code()).isEqualTo(ErrorCode.NOT_A_DIAMOND));
        server.enqueue(ok("\"0x1234\""));
        assertThatThrownBy(() -> source("/", 1).facets(A, 5)).isInstanceOf(NotADiamondException.class);
        server.enqueue(ok("\"0x\""));
        server.enqueue(ok("\"0x\""));
        assertThatThrownBy(() -> source("/", 1).facets(A, 5)).isInstanceOf(NotADiamondException.class)
                .satisfies(e -> assertThat(((SyncException) e).code()).isEqualTo(ErrorCode.NO_CODE));
    }

    @Test
    void anHttp401IsNotRetriedAndSaysToCheckCredentials() {
        server.enqueue(new MockResponse().setResponseCode(401));
        assertThatThrownBy(() -> source("/v2/KEYKEYKEYKEYKEY", 5).chainId()).isInstanceOf(ChainException.class)
                .hasMessageContaining("credentials").satisfies(e -> assertThat(e.getMessage()).doesNotContain("KEYKEYKEY"));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
