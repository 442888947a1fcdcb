package io.gemforce.sync.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * The transport's own HTTP client has a TLS context only when an endpoint needs one (building it
 * loads the JDK's trust store, a fifth of a second of a cold start); a client passed in is kept as it
 * is. (Requests over plain HTTP are covered by every test against a local node.)
 */
class RpcTransportTlsTest {
    private static RpcTransport transport(List<String> urls, OkHttpClient base) {
        return new RpcTransport(urls, base, Duration.ofSeconds(5), 1, Duration.ofMillis(1), Duration.ofMillis(1), 0);
    }

    @Test
    void plainHttpEndpointsGetACleartextOnlyClient() {
        OkHttpClient http = transport(List.of("http://127.0.0.1:8545", "HTTP://node.internal:8545/rpc"), null).http();
        assertThat(http.connectionSpecs()).containsExactly(ConnectionSpec.CLEARTEXT);
        assertThatThrownBy(http::sslSocketFactory).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anHttpsEndpointAmongThemKeepsTls() {
        OkHttpClient http = transport(List.of("http://127.0.0.1:8545", "https://rpc.example.org/v3/KEY"), null).http();
        assertThat(http.connectionSpecs()).anyMatch(ConnectionSpec::isTls);
        assertThat(http.sslSocketFactory()).isNotNull();
    }

    @Test
    void aClientPassedInKeepsItsConnectionSpecs() {
        OkHttpClient own = new OkHttpClient();
        OkHttpClient http = transport(List.of("http://127.0.0.1:8545"), own).http();
        assertThat(http.connectionSpecs()).isEqualTo(own.connectionSpecs());
    }
}
