package io.gemforce.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/errors.md has a row for every {@link ErrorCode}, with the same retryable answer as the code. */
class ErrorCodeDocsTest {

    @Test
    void everyCodeIsDocumentedWithItsRetryability() throws IOException {
        Path docs = Path.of("..", "docs", "errors.md");
        String text = Files.readString(docs);
        for (ErrorCode c : ErrorCode.values()) {
            String row = text.lines().filter(l -> l.startsWith("| `" + c.name() + "` |")).findFirst().orElse(null);
            assertThat(row).as("a row for %s in %s", c, docs).isNotNull();
            String[] cells = row.split("\\|");
            assertThat(cells[4].trim()).as("retryable of %s", c).isEqualTo(c.retryable() ? "yes" : "no");
        }
    }
}
