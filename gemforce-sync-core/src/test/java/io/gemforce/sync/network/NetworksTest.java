package io.gemforce.sync.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.InvalidInputException;
import io.gemforce.sync.diamond.Address;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworksTest {
    private final Networks networks = Networks.defaults();

    @ParameterizedTest
    @CsvSource({"base-sepolia,84532", "baseSepolia,84532", "basesep,84532", "BASE_SEPOLIA,84532", "84532,84532",
        "ethereum,1", "mainnet,1", "sepolia,11155111", "base,8453", "optimism,10", "optimism-sepolia,11155420",
        "optimismSepolia,11155420", "localhost,31337", "anvil,31337"})
    void resolvesNamesAliasesAndChainIds(String name, long chainId) {
        assertThat(networks.resolve(name).chainId()).isEqualTo(chainId);
    }

    @Test
    void storesTheCanonicalName() {
        assertThat(networks.resolve("baseSepolia").name()).isEqualTo("base-sepolia");
        assertThat(networks.resolve("basesep").name()).isEqualTo("base-sepolia");
    }

    @Test
    void anUnknownNetworkIsATypedErrorListingTheKnownOnes() {
        assertThatThrownBy(() -> networks.resolve("polygon"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("base-sepolia")
                .satisfies(e -> assertThat(((InvalidInputException) e).code()).isEqualTo(ErrorCode.UNKNOWN_NETWORK));
        assertThatThrownBy(() -> networks.resolve("999")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void theHostCanAddAndReplaceNetworks() {
        Address factory = Address.of("0x00000000000000000000000000000000000000fa");
        Networks custom = networks.toBuilder()
                .add(new Network("polygon", 137, Set.of("matic"), 128, 0, List.of(), List.of()))
                .add(networks.resolve("base-sepolia").withFactories(List.of(factory), 1_000_000).withConfirmations(3))
                .build();
        assertThat(custom.resolve("matic").confirmations()).isEqualTo(128);
        assertThat(custom.resolve("basesep").factories()).containsExactly(factory);
        assertThat(custom.resolve("basesep").startBlock()).isEqualTo(1_000_000);
        assertThat(custom.resolve("basesep").confirmations()).isEqualTo(3);
        assertThat(networks.resolve("basesep").factories()).as("the defaults are unchanged").isEmpty();
    }

    @Test
    void anAliasUsedByTwoNetworksIsRejected() {
        assertThatThrownBy(() -> Networks.builder()
                .add(new Network("a", 1, Set.of("x"), 0, 0, List.of(), List.of()))
                .add(new Network("b", 2, Set.of("x"), 0, 0, List.of(), List.of())).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
