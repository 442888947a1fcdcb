package io.gemforce.sync.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness explains what is missing instead of failing obscurely. */
class ParseTestServerTest {

    @Test
    void missingPostgresBinariesSayHowToInstallThem(@TempDir Path empty) {
        assertThatThrownBy(() -> ParseTestServer.findPostgresBin(empty)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apt-get install -y postgresql");
    }

    @Test
    void picksTheNewestInstalledVersion(@TempDir Path base) throws Exception {
        for (String v : new String[] {"9", "15", "13"}) {
            Path bin = Files.createDirectories(base.resolve(v).resolve("bin"));
            for (String p : new String[] {"initdb", "postgres", "pg_ctl"}) {
                Files.createFile(bin.resolve(p)).toFile().setExecutable(true);
            }
        }
        assertThat(ParseTestServer.findPostgresBin(base)).isEqualTo(base.resolve("15").resolve("bin"));
    }
}
