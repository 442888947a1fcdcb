package io.gemforce.sync.examples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemforce.sync.follow.FollowMode;
import io.gemforce.sync.network.Networks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service configuration: a good file parses; each bad one names the file, line and key, and nothing starts. */
class ConfigLoaderTest {
    private static final Map<String, String> ENV = Map.of("PG_PASSWORD", "s3cret", "BASE_KEY", "abc123def456");

    @TempDir
    Path dir;

    private ServiceConfig load(String yaml) throws Exception {
        Path f = dir.resolve("gemforce.yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f, ENV::get, Networks.defaults());
    }

    private static final String GOOD = """
            store:
              jdbc:
                url: jdbc:postgresql://127.0.0.1:5432/gemforce
                user: gemforce
                password: ${env:PG_PASSWORD}
            networks:
              localhost:
                rpcUrls: [http://127.0.0.1:8545]
                factories: [0x5FbDB2315678afecb367f032d93F642f64180aa3]
                startBlock: 7
                mode: head
                pollInterval: 500ms
              base-sepolia:
                rpcUrls:
                  - https://base-sepolia.example/v2/${env:BASE_KEY}
                  - https://fallback.example
                wsUrl: wss://base-sepolia.example/ws
                confirmations: 3
                requestsPerSecond: 20
            health:
              port: 9464
              stuckAfter: 2m
            lease:
              ttl: 20s
              holder: node-a
            """;

    @Test
    void aGoodFileGivesEveryNetworkWithItsSettingsAndTheSecretsFromTheEnvironment() throws Exception {
        ServiceConfig c = load(GOOD);
        assertThat(c.store().jdbcPassword()).isEqualTo("s3cret");
        assertThat(c.networks()).hasSize(2);
        ServiceConfig.NetworkSettings local = c.networks().get(0);
        assertThat(local.network().chainId()).isEqualTo(31337);
        assertThat(local.network().startBlock()).isEqualTo(7);
        assertThat(local.mode()).isEqualTo(FollowMode.HEAD);
        assertThat(local.pollInterval()).isEqualTo(Duration.ofMillis(500));
        ServiceConfig.NetworkSettings base = c.networks().get(1);
        assertThat(base.rpcUrls()).containsExactly("https://base-sepolia.example/v2/abc123def456", "https://fallback.example");
        assertThat(base.network().confirmations()).isEqualTo(3);
        assertThat(base.mode()).isEqualTo(FollowMode.CONFIRMED);
        assertThat(c.health().port()).isEqualTo(9464);
        assertThat(c.health().stuckAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.lease().ttl()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.lease().holder()).isEqualTo("node-a");
    }

    @Test
    void addressedLogsIsAPerNetworkBooleanOffByDefault() throws Exception {
        String with = "    requestsPerSecond: 20\n    addressedLogs: true\n";
        ServiceConfig c = load(GOOD.replace("    requestsPerSecond: 20\n", with));
        assertThat(c.networks().get(0).addressedLogs()).isFalse();
        assertThat(c.networks().get(1).addressedLogs()).isTrue();
        assertThatThrownBy(() -> load(GOOD.replace("    requestsPerSecond: 20\n",
                "    requestsPerSecond: 20\n    addressedLogs: sometimes\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("networks.base-sepolia.addressedLogs")
                .hasMessageContaining("true or false");
    }

    @Test
    void anUnknownNetworkIsNamedWithItsLine() {
        assertThatThrownBy(() -> load(GOOD.replace("  base-sepolia:", "  atlantis:")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gemforce.yaml:13:")
                .hasMessageContaining("networks.atlantis").hasMessageContaining("atlantis");
    }

    @Test
    void aMissingEnvironmentVariableIsNamed() {
        assertThatThrownBy(() -> load(GOOD.replace("${env:BASE_KEY}", "${env:NOT_SET}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gemforce.yaml:15:")
                .hasMessageContaining("networks.base-sepolia.rpcUrls[0]")
                .hasMessageContaining("environment variable NOT_SET is not set");
    }

    @Test
    void aMalformedUrlIsNamedWithoutPrintingIt() {
        assertThatThrownBy(() -> load(GOOD.replace("https://fallback.example", "fallback.example/key-9f8e7d")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("networks.base-sepolia.rpcUrls[1]")
                .hasMessageContaining("not an http(s) URL").hasMessageNotContaining("key-9f8e7d");
    }

    @Test
    void theSameNetworkTwiceUnderAnAliasIsRefused() {
        assertThatThrownBy(() -> load(GOOD.replace("  base-sepolia:", "  anvil:")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("networks.anvil")
                .hasMessageContaining("the same network as localhost");
    }

    @Test
    void aDuplicateKeyIsRefused() {
        assertThatThrownBy(() -> load(GOOD.replace("    mode: head\n", "    mode: head\n    mode: confirmed\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gemforce.yaml:")
                .hasMessageContaining("mode");
    }

    @Test
    void anUnknownKeyIsNamedWithTheKeysAllowed() {
        assertThatThrownBy(() -> load(GOOD.replace("    startBlock: 7", "    startblock: 7")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gemforce.yaml:10:")
                .hasMessageContaining("networks.localhost.startblock: unknown key")
                .hasMessageContaining("startBlock");
    }

    @Test
    void anInlineSecretIsRefused() {
        assertThatThrownBy(() -> load(GOOD.replace("${env:PG_PASSWORD}", "hunter2")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("store.jdbc.password")
                .hasMessageContaining("only as ${env:NAME}").hasMessageNotContaining("hunter2");
    }
}
