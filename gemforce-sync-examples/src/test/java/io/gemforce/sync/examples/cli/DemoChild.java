package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.fail;

import io.gemforce.sync.testbed.RepoRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code gemforce-sync demo ...} in a child JVM (the test's class path), its standard output and
 * error in one log file, and what the tests read from that output.
 */
final class DemoChild implements AutoCloseable {
    static final Pattern CREATED = Pattern.compile("(?m)^block \\d+ created (0x[0-9a-f]{40}) ");
    static final Pattern OWNER = Pattern.compile("(?m)^block \\d+ owner\\s+(0x[0-9a-f]{40}) (0x[0-9a-f]{40}) -> (0x[0-9a-f]{40}) ");
    static final Pattern ID = Pattern.compile("(?m)^block .*\\[(31337:[^\\]]+)]$");
    static final String ZERO = "0x0000000000000000000000000000000000000000";

    private final Process process;
    private final Path log;

    private DemoChild(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code gemforce-sync <args>} with its output in {@code dir/<name>.log}. */
    static DemoChild start(Path dir, String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m",
                "-Dgemforce.root=" + RepoRoot.find(), "-cp", System.getProperty("java.class.path"),
                GemforceSyncCli.class.getName()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new DemoChild(p, log);
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path log() {
        return log;
    }

    /** Waits until the output satisfies {@code until}; fails (with the output) on timeout or when the child exits first. */
    String awaitOutput(Predicate<String> until, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String out = output();
            if (until.test(out)) {
                return out;
            }
            if (!process.isAlive()) {
                fail("the demo exited (" + process.exitValue() + ") before " + what + ":\n" + output());
            }
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + timeout + ":\n" + out);
            }
            Thread.sleep(200);
        }
    }

    /** SIGTERM, as {@code kill} or a service manager sends it; returns the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        return awaitExit(Duration.ofMinutes(2));
    }

    /** Waits for the exit; fails when it does not come within {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("the demo did not exit within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** Kills whatever is left (a failed test), children first. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    // ------------------------------------------------------------------------------- the output

    static List<String> all(Pattern p, String out) {
        List<String> found = new ArrayList<>();
        Matcher m = p.matcher(out);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** The diamonds the printed {@code created} lines name, in order. */
    static List<String> created(String out) {
        return all(CREATED, out);
    }

    /** The ids of the printed changes. */
    static Set<String> ids(String out) {
        return new LinkedHashSet<>(all(ID, out));
    }

    /** Whether an ownership transfer (not a diamond's first owner) was printed. */
    static boolean transferPrinted(String out) {
        Matcher m = OWNER.matcher(out);
        while (m.find()) {
            if (!m.group(2).equals(ZERO)) {
                return true;
            }
        }
        return false;
    }

    /** The first group of {@code regex} in {@code out}; fails when it is not there. */
    static String find(String regex, String out) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(out);
        if (!m.find()) {
            fail("no match for " + regex + " in:\n" + out);
        }
        return m.group(1);
    }

    /** Whether something accepts TCP connections at the host and port of {@code url}. */
    static boolean listening(String url) {
        URI u = URI.create(url);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
