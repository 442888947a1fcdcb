package io.gemforce.sync.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.diamond.Address;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A log query for any emitter: what it accepts, and the {@code eth_getLogs} filter it becomes. */
class AnyAddressQueryTest {
    private static final String TOPIC = "0x" + "1".repeat(64);
    private static final Address A = Address.of("0x00000000000000000000000000000000000000a1");

    private static JsonNode filter(LogQuery q) throws IOException {
        JsonNode req = RpcTransport.MAPPER.readTree(LogsParser.request(q, 7));
        assertThat(req.get("method").asText()).isEqualTo("eth_getLogs");
        return req.get("params").get(0);
    }

    @Test
    void aQueryForAnyEmitterHasNoAddressMemberAndKeepsItsTopics() throws IOException {
        JsonNode f = filter(LogQuery.anyAddress(16, 31, List.of(TOPIC)));
        assertThat(f.has("address")).isFalse();
        assertThat(f.get("fromBlock").asText()).isEqualTo("0x10");
        assertThat(f.get("toBlock").asText()).isEqualTo("0x1f");
        assertThat(f.get("topics").get(0).get(0).asText()).isEqualTo(TOPIC);

        JsonNode named = filter(new LogQuery(16, 31, List.of(A), List.of(TOPIC)));
        assertThat(named.get("address").get(0).asText()).isEqualTo(A.hex());
        assertThat(new LogQuery(16, 31, List.of(A), List.of(TOPIC)).anyAddress()).isFalse();
    }

    @Test
    void aQueryWithNeitherAddressesNorTopicsIsRefused() {
        assertThatThrownBy(() -> LogQuery.anyAddress(1, 2, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogQuery(1, 2, List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theJsonRpcSourceTakesThemUnlessTurnedOff() {
        try (Web3jChainSource on = Web3jChainSource.builder().rpcUrl("http://127.0.0.1:1").build();
                Web3jChainSource off = Web3jChainSource.builder().rpcUrl("http://127.0.0.1:1").anyAddressLogs(false).build()) {
            assertThat(on.anyAddressLogs()).isTrue();
            assertThat(off.anyAddressLogs()).isFalse();
        }
    }
}
