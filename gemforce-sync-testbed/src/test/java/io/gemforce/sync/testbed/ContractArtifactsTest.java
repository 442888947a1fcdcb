package io.gemforce.sync.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed contract artifacts were compiled from the committed sources: the manifest's
 * sha256 of every source and artifact must match the files. (`node contracts/compile.mjs --check`
 * recompiles and compares the bytecode too; this test needs no compiler.)
 */
class ContractArtifactsTest {
    private final Path root = RepoRoot.find();

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    @Test
    void sourcesAndArtifactsMatchTheManifest() throws Exception {
        JsonNode manifest = new ObjectMapper().readTree(root.resolve("contracts/artifacts/manifest.json").toFile());
        Path src = root.resolve("contracts/src");
        Map<String, String> actual = new TreeMap<>();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".sol"))::iterator) {
                actual.put(src.relativize(p).toString().replace('\\', '/'), sha256(p));
            }
        }
        Map<String, String> recorded = new TreeMap<>();
        manifest.get("sources").fields().forEachRemaining(e -> recorded.put(e.getKey(), e.getValue().asText()));
        assertThat(actual).as("contracts/src changed without recompiling: run npm run compile:contracts")
                .isEqualTo(recorded);

        Map<String, String> artifacts = new TreeMap<>();
        manifest.get("artifacts").fields().forEachRemaining(e -> artifacts.put(e.getKey(), e.getValue().asText()));
        assertThat(artifacts).isNotEmpty();
        for (var e : artifacts.entrySet()) {
            Path a = root.resolve("contracts/artifacts").resolve(e.getKey().endsWith(".json") ? e.getKey() : e.getKey() + ".json");
            assertThat(sha256(a)).as("artifact %s edited by hand", e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(manifest.get("settings").get("evmVersion").asText()).isEqualTo("cancun");
    }
}
