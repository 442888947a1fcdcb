package io.gemforce.sync.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RpcErrorsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "query returned more than 10000 results",
        "query returned more than 10000 results. Try with this block range [0x1, 0x2].",
        "block range is too wide",
        "range is too large, max is 1k blocks",
        "exceed max block range: 500",
        "Try with this block range [0x10, 0x20]",
        "logs matched by query exceeds limit of 10000",
        "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range",
    })
    void recognisesRangeRefusals(String message) {
        assertThat(RpcErrors.isRangeTooLarge(message)).isTrue();
        assertThat(RpcErrors.isRateLimited(-32005, message)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Try with this block range [0x64, 0x6e]|100|500|110",
        "query returned more than 10000 results. Try with this block range [0x64, 0xc8].|100|1000|200",
        "range is too large, max is 1k blocks|100|5000|1099",
        "exceed max block range: 500|1000|9000|1499",
        "block range is too wide|100|5000|-1",
        "logs matched by query exceeds limit of 10000|100|5000|-1",
        "Try with this block range [0x0, 0x9]|100|500|109",
    })
    void readsTheHintedRange(String message, long from, long to, long expectedEnd) {
        assertThat(RpcErrors.hintedEnd(message, from, to)).isEqualTo(expectedEnd);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rate limit exceeded", "Too Many Requests", "You have exceeded the rate limit",
        "daily request limit reached"})
    void recognisesRateLimits(String message) {
        assertThat(RpcErrors.isRateLimited(-32000, message)).isTrue();
        assertThat(RpcErrors.isRangeTooLarge(message)).isFalse();
    }

    @Test
    void otherErrorsAreNeither() {
        assertThat(RpcErrors.isRangeTooLarge("execution reverted")).isFalse();
        assertThat(RpcErrors.isRateLimited(-32000, "header not found")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "BlockOutOfRangeError: block height is 64 but requested was 2",
        "missing trie node ef7df5d88cb1614dc3f143879a653cd90717ee42e967c5fabbcd7505a968f314 (path )",
        "missing trie node c6ebfa18 (path ) state 0xc6ebfa185e24077a555f06caaf4b78d9e0ae9dcb is not available, not found",
        "historical state not available in path scheme yet",
        "historical state 0x288259a570829264e76b2c58d4369b5a94f086018dc4409d1d0131405c5d1975 is not available",
        "state histories haven't been fully indexed yet",
        "required historical state unavailable (reexec=128)",
        "No state available for block 0x3f9e020290502d1d41f4b5519e7d456f0935dea980ec310935206cac8239117e",
        "old data not available due to pruning: requested block 0, history is available from block 25247999",
        "state at block #1000 is pruned",
        "This request is not supported because your node is running with state pruning. Run with --pruning=archive.",
        "project ID does not have access to archive state",
        "project ID is required to access archive state",
        "state is not available",
    })
    void recognisesPrunedState(String message) {
        assertThat(RpcErrors.isStateUnavailable(message, 2, 64)).isTrue();
        assertThat(RpcErrors.isStateUnavailable(message.toUpperCase(java.util.Locale.ROOT), 2, 64)).isTrue();
        assertThat(RpcErrors.isRevert(message)).isFalse();
        assertThat(RpcErrors.isRateLimited(-32000, message)).isFalse();
        assertThat(RpcErrors.isRangeTooLarge(message)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "BlockOutOfRangeError: block height is 64 but requested was 4096", // a future block, not pruned state
        "execution reverted",
        "rate limit exceeded",
        "invalid argument 1: hex string without 0x prefix",
        "header not found", // near the head (see below)
    })
    void otherErrorsAreNotPrunedState(String message) {
        assertThat(RpcErrors.isStateUnavailable(message, 60, 64)).isFalse();
    }

    @Test
    void headerNotFoundIsPrunedStateOnlyWellBelowTheHead() {
        assertThat(RpcErrors.isStateUnavailable("header not found", 1_000, 1_000 + 128)).isTrue();
        assertThat(RpcErrors.isStateUnavailable("header not found", 1_000, 1_000 + 127)).isFalse();
        assertThat(RpcErrors.isStateUnavailable("header not found", 1_000, -1)).as("no head seen yet").isFalse();
        assertThat(RpcErrors.isStateUnavailable("header not found", -1, 5_000)).as("block unknown").isFalse();
    }

    @Test
    void theStateMessageSaysWhatToDo() {
        String m = RpcErrors.stateUnavailableMessage("eth_call facets() of 0xd1", 7, "https://rpc.example.org/…",
                "missing trie node");
        assertThat(m).contains("block 7").contains("not an archive node").contains("creation block")
                .contains("archive node's RPC URL").contains("missing trie node");
    }

    @Test
    void redactionKeepsOnlySchemeHostAndPort() {
        String alchemy = "https://base-sepolia.g.alchemy.com/v2/SECRETKEY1234567890abcdef";
        String infura = "https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef";
        String query = "https://rpc.example.org:8545/?apikey=TOPSECRETAPIKEY99";
        String user = "https://user:pa55w0rdSecret@node.example.org/rpc";
        assertThat(Redaction.redact(alchemy)).isEqualTo("https://base-sepolia.g.alchemy.com/…");
        assertThat(Redaction.redact(query)).isEqualTo("https://rpc.example.org:8545/…");
        assertThat(Redaction.redact("http://127.0.0.1:8545")).isEqualTo("http://127.0.0.1:8545");
        assertThat(Redaction.redact(user)).doesNotContain("pa55w0rd");
        List<String> urls = List.of(alchemy, infura, query, user);
        String leaky = "failed " + alchemy + " and key SECRETKEY1234567890abcdef, " + infura + " apikey=TOPSECRETAPIKEY99 "
                + "0123456789abcdef0123456789abcdef pa55w0rdSecret";
        String scrubbed = Redaction.scrub(leaky, urls);
        assertThat(scrubbed).doesNotContain("SECRETKEY1234567890abcdef").doesNotContain("0123456789abcdef0123456789abcdef")
                .doesNotContain("TOPSECRETAPIKEY99").doesNotContain("pa55w0rdSecret");
    }
}
