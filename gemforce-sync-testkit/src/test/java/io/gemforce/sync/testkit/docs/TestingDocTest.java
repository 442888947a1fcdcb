package io.gemforce.sync.testkit.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/testing.md cannot rot: its example is {@link IndexingTest} character for character (the
 * package line aside), and its networks table is {@link Networks#defaults()}.
 */
class TestingDocTest {
    private static final Path DOC = Path.of("..", "docs", "testing.md");

    @Test
    void theExampleIsTheIndexingTest() throws IOException {
        String doc = Files.readString(DOC);
        int start = doc.indexOf("```java\n") + "```java\n".length();
        String example = doc.substring(start, doc.indexOf("```\n", start));
        String test = Files.readString(Path.of("src", "test", "java", "io", "gemforce", "sync", "testkit", "docs",
                "IndexingTest.java"));
        assertThat(example).isEqualTo(test.substring(test.indexOf("\n\n") + 2));
    }

    @Test
    void theNetworksTableIsTheDefaults() throws IOException {
        List<String> doc = Files.readAllLines(DOC);
        for (Network n : Networks.defaults().all()) {
            String row = "| `" + n.name() + "` | " + n.chainId() + " | "
                    + String.join(", ", n.aliases().stream().map(a -> "`" + a + "`").toList()) + " | "
                    + n.confirmations() + " |";
            assertThat(doc).as("the row of %s", n.name()).contains(row);
        }
        assertThat(doc.stream().filter(l -> l.matches("\\| `[a-z-]+` \\| [0-9]+ \\|.*"))).hasSize(
                Networks.defaults().all().size());
    }
}
