package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.chain.web3j.Web3jChainSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --addressed-logs} reaches the chain source: log queries then always name their addresses. */
class AddressedLogsOptionTest {

    private static Web3jChainSource chain(String... args) {
        SyncOptions o = new SyncOptions();
        new CommandLine(o).parseArgs(args);
        return o.chain();
    }

    @Test
    void theOptionTurnsQueriesForAnyEmitterOff() {
        try (Web3jChainSource byDefault = chain("--rpc-url", "http://127.0.0.1:1");
                Web3jChainSource addressed = chain("--rpc-url", "http://127.0.0.1:1", "--addressed-logs")) {
            assertThat(byDefault.anyAddressLogs()).isTrue();
            assertThat(addressed.anyAddressLogs()).isFalse();
        }
    }
}
