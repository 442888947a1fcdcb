package io.gemforce.sync.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the PostgreSQL binaries, without running them. */
class LocalPostgresTest {

    @Test
    void missingBinariesSayHowToInstallThem(@TempDir Path empty) {
        assertThatThrownBy(() -> LocalPostgres.findBinaries(empty)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apt-get install -y postgresql").hasMessageContaining(empty.toString());
        assertThatThrownBy(() -> LocalPostgres.findBinaries(empty.resolve("absent")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("apt-get install -y postgresql");
    }

    @Test
    void picksTheNewestCompleteVersion(@TempDir Path base) throws Exception {
        for (String v : new String[] {"9", "15", "13", "17"}) {
            Path bin = Files.createDirectories(base.resolve(v).resolve("bin"));
            for (String p : v.equals("17") ? new String[] {"initdb", "postgres"} : new String[] {"initdb", "postgres", "pg_ctl"}) {
                Files.createFile(bin.resolve(p)).toFile().setExecutable(true);
            }
        }
        assertThat(LocalPostgres.findBinaries(base)).as("17 lacks pg_ctl").isEqualTo(base.resolve("15").resolve("bin"));
    }
}
