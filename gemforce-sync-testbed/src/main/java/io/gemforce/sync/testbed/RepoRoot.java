package io.gemforce.sync.testbed;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's root: the folder named by the system property {@code gemforce.root}, else the
 * nearest folder above the working directory holding package.json and contracts/.
 */
public final class RepoRoot {
    private RepoRoot() {
    }

    public static Path find() {
        String configured = System.getProperty("gemforce.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.exists(p.resolve("package.json")) && Files.isDirectory(p.resolve("contracts"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("cannot find the repository root (package.json and contracts/) above "
                + Path.of("").toAbsolutePath());
    }
}
