package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gemforce-sync demo --follow --parse} in a child JVM, and Parse Dashboard's page of the
 * {@code Diamond} class opened in a real headless browser (Debian's {@code chromium}, installed by
 * scripts/test.sh): the page, rendered, shows the demo diamonds' addresses; a screenshot goes to
 * target/dashboard.png. SIGTERM then stops the demo and all it started (exit 0), and the master key
 * never appeared in its output or logs. Skipped only when no chromium is installed.
 */
class DemoDashboardIT {
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theDashboardShowsTheDemoDiamondsInAHeadlessBrowser() throws Exception {
        Optional<Path> chromium = browser();
        Assumptions.assumeTrue(chromium.isPresent(), "no headless browser: Debian's chromium is not on the PATH"
                + " (scripts/test.sh installs it when run as root: apt-get install -y chromium)");
        try (DemoChild demo = DemoChild.start(dir, "demo", "demo", "--follow", "--parse", "--duration", "900")) {
            String out = demo.awaitOutput(o -> o.contains("/browser/Diamond\n") && DemoChild.created(o).size() >= 2,
                    WAIT, "the dashboard's URL and the two first diamonds committed to Parse");
            String page = DemoChild.find("^  open (http://127\\.0\\.0\\.1:\\d+/apps/gemforce-demo/browser/Diamond)$", out);
            String dashboard = DemoChild.find("^Parse Dashboard: (http://127\\.0\\.0\\.1:\\d+/) ", out);
            String parse = DemoChild.find("^Parse Server: (http://127\\.0\\.0\\.1:\\d+/parse) ", out);
            Path logs = Path.of(DemoChild.find("their logs: (\\S+)\\)\\.\\.\\.$", out));
            String masterKey = masterKey(dashboard);
            List<String> diamonds = DemoChild.created(out);

            // the page is a JavaScript app: --virtual-time-budget lets it load the rows before the DOM is dumped
            String dom = "";
            for (int attempt = 1; attempt <= 3 && !diamonds.stream().allMatch(dom::contains); attempt++) {
                dom = chromium(chromium.get(), dir.resolve("dom-" + attempt + ".err"), "--dump-dom", page);
            }
            Files.writeString(dir.resolve("dashboard.html"), dom);
            assertThat(dom).as("the Diamond page's DOM").contains("Diamond").contains(diamonds);
            Path png = Path.of("target", "dashboard.png").toAbsolutePath();
            Files.deleteIfExists(png);
            chromium(chromium.get(), dir.resolve("screenshot.err"), "--screenshot=" + png, page);
            assertThat(png).exists();
            byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
            assertThat(head).as("a PNG file").startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');

            assertThat(demo.terminate()).as(demo.output()).isZero();
            String all = demo.output();
            assertThat(all).contains("stopped: follower, chain source, Parse Dashboard, Parse client, Parse Server,"
                    + " PostgreSQL, Anvil");
            assertThat(DemoChild.listening(dashboard)).as("the dashboard stopped").isFalse();
            assertThat(DemoChild.listening(parse)).as("Parse Server stopped").isFalse();
            assertThat(all).as("the demo's output").doesNotContain(masterKey);
            try (Stream<Path> files = Files.walk(logs)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(masterKey);
                }
            }
        }
    }

    /** The master key, as the dashboard hands it to a browser on this machine. */
    private static String masterKey(String dashboard) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(dashboard + "parse-dashboard-config.json")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        String key = JSON.readTree(r.body()).path("apps").path(0).path("masterKey").asText();
        assertThat(key).as("the dashboard's master key").hasSizeGreaterThan(20);
        return key;
    }

    /** Runs headless chromium on {@code args}; returns its standard output. */
    private String chromium(Path browser, Path err, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"), "--window-size=1400,900",
                "--virtual-time-budget=10000"));
        cmd.addAll(List.of(args));
        Path dom = Files.createTempFile(dir, "chromium-", ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(dom.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        return Files.readString(dom);
    }

    /** Debian's {@code chromium} (or a {@code chromium-browser}) on the PATH. */
    private static Optional<Path> browser() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(d, name);
                if (!d.isEmpty() && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
