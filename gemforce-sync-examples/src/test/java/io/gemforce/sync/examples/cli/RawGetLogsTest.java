package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' raw client on its own: the filter it sends, the logs it counts, and a node's error,
 * which must fail the baseline rather than count as an empty answer. (Its use against a real node is
 * covered by BenchIT and BenchSparseIT.)
 */
class RawGetLogsTest {

    @Test
    void theFilterNamesAddressesAndTopicsOnlyWhenGiven() {
        assertThat(RawGetLogs.filter(16, 31, List.of(), List.of())).isEqualTo("{\"fromBlock\":\"0x10\",\"toBlock\":\"0x1f\"}");
        assertThat(RawGetLogs.filter(1, 2, List.of("0xaa", "0xbb"), List.of("0x01", "0x02")))
                .isEqualTo("{\"fromBlock\":\"0x1\",\"toBlock\":\"0x2\",\"address\":[\"0xaa\",\"0xbb\"],"
                        + "\"topics\":[[\"0x01\",\"0x02\"]]}");
    }

    @Test
    void countsTheLogsOfEveryAnswerWithSeveralInFlight() throws Exception {
        String log = "{\"address\":\"0xaa\",\"topics\":[\"0x01\"],\"data\":\"0x\",\"blockNumber\":\"0x1\"}";
        AtomicInteger requests = new AtomicInteger();
        try (Server s = new Server(() -> {
            requests.incrementAndGet();
            return "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[" + log + "," + log + "]}";
        })) {
            long logs = RawGetLogs.count(s.url(), List.of("{}", "{}", "{}", "{}", "{}"), 3);
            assertThat(logs).isEqualTo(10);
            assertThat(requests).hasValue(5);
        }
    }

    @Test
    void aNodesErrorFailsTheCountWithItsMessage() throws Exception {
        try (Server s = new Server(() -> "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32600,"
                + "\"message\":\"query exceeds max block range 10000\"}}")) {
            for (int inFlight : new int[] {1, 4}) {
                assertThatThrownBy(() -> RawGetLogs.count(s.url(), List.of("{}", "{}"), inFlight))
                        .isInstanceOf(IOException.class).hasMessageContaining("query exceeds max block range 10000");
            }
        }
    }

    /** A loopback HTTP server answering every POST with the supplied body. */
    private static final class Server implements AutoCloseable {
        private final HttpServer http;
        private final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);

        Server(Supplier<String> answer) throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/", ex -> {
                ex.getRequestBody().readAllBytes();
                byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            });
            http.setExecutor(pool);
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/";
        }

        @Override
        public void close() {
            http.stop(0);
            pool.shutdownNow();
        }
    }
}
