package io.gemforce.sync.testbed;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Parse Dashboard (npm {@code parse-dashboard}, pinned in package.json and installed by {@code npm ci})
 * for a {@link LocalParseServer}, run with {@code node} on a free loopback port.
 *
 * <p>The dashboard listens on 127.0.0.1 only and has no users configured, so it opens without a login
 * from this machine (parse-dashboard refuses such a dashboard to any other host). Its one app is the
 * server's, with the server's master key: the key goes only into a 0600 config file in a private
 * temporary folder (deleted on {@link #close()}), never onto the command line (where {@code ps} would
 * show it) nor into a log line of this class.
 *
 * <p>Output goes to {@code parse-dashboard.log} in the log folder.
 */
public final class LocalParseDashboard implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String appName;
    private final Path entryPoint;
    private final String node;
    private final Path logDir;
    private final int port;
    private final Duration startTimeout;
    private final Path configDir;
    private final Path configFile;
    private final Thread shutdownHook;
    private boolean closed;
    private Process process;

    private LocalParseDashboard(Builder b) throws IOException {
        Path root = b.repoRoot != null ? b.repoRoot : RepoRoot.find();
        this.entryPoint = root.resolve("node_modules/parse-dashboard/bin/parse-dashboard");
        if (!Files.isRegularFile(entryPoint)) {
            throw new IllegalStateException("Parse Dashboard is not installed: run `npm ci` in " + root
                    + " (parse-dashboard is pinned in package.json; looked for " + entryPoint + ")");
        }
        this.appName = b.appName != null ? b.appName : b.server.appId();
        this.node = b.node;
        this.startTimeout = b.startTimeout;
        this.logDir = b.logDir != null ? b.logDir.toAbsolutePath() : Files.createTempDirectory("gemforce-dashboard-logs-");
        Files.createDirectories(logDir);
        this.port = Ports.free();
        this.configDir = Files.createTempDirectory("gemforce-dashboard-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        this.configFile = configDir.resolve("parse-dashboard-config.json");
        writeConfig(b.server);
        this.shutdownHook = new Thread(this::close, "local-parse-dashboard-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A dashboard builder for {@code server}'s app (the server need not run yet). */
    public static Builder builder(LocalParseServer server) {
        return new Builder(server);
    }

    // ------------------------------------------------------------------------------------ access

    /** The dashboard's address: {@code http://127.0.0.1:<port>/}. */
    public String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** The data browser of one class: {@code http://127.0.0.1:<port>/apps/<appName>/browser/<className>}. */
    public String classUrl(String className) {
        return url() + "apps/" + URLEncoder.encode(appName, StandardCharsets.UTF_8).replace("+", "%20") + "/browser/"
                + URLEncoder.encode(className, StandardCharsets.UTF_8);
    }

    public String appName() {
        return appName;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logDir.resolve("parse-dashboard.log");
    }

    // --------------------------------------------------------------------------------- lifecycle

    /** Starts the dashboard and waits until it answers {@code GET /apps}. Does nothing when it is running. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("this LocalParseDashboard is closed");
        }
        if (process != null && process.isAlive()) {
            return;
        }
        ProcessBuilder pb = new ProcessBuilder(node, entryPoint.toString(), "--config", configFile.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port))
                .directory(logDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
        pb.environment().put("NODE_ENV", "production"); // never the development-only browser-control API
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run '" + node + "' (is Node.js 20 on the PATH?): " + e.getMessage(), e);
        }
        process = p;
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (!answers()) {
            if (!p.isAlive()) {
                process = null;
                throw new IllegalStateException("Parse Dashboard exited with " + p.exitValue() + "; see " + logFile()
                        + ":\n" + LocalPostgres.tail(logFile()));
            }
            if (System.nanoTime() > deadline) {
                process = null;
                Ports.kill(p);
                throw new IllegalStateException("Parse Dashboard did not answer within " + startTimeout + "; see "
                        + logFile() + ":\n" + LocalPostgres.tail(logFile()));
            }
            Ports.pause(50);
        }
    }

    /** One {@code GET /apps}: whether the dashboard answers it with its page (HTTP 200). */
    public boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url() + "apps").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            c.setInstanceFollowRedirects(false);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** Stops the dashboard (SIGTERM, then SIGKILL after 10 s) and waits until it has exited. */
    public synchronized void stop() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                Ports.kill(p);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Ports.kill(p);
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /** Stops the dashboard and deletes its config folder (and so the copy of the master key). Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stop();
            LocalPostgres.deleteTree(configDir);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | SecurityException alreadyShuttingDown) {
            // called from the hook itself, or during JVM shutdown
        }
    }

    // ------------------------------------------------------------------------------------ inside

    private void writeConfig(LocalParseServer server) throws IOException {
        Files.createFile(configFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        char[] key = server.masterKey();
        try (OutputStream out = Files.newOutputStream(configFile, StandardOpenOption.TRUNCATE_EXISTING);
                JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("apps");
            g.writeStartObject();
            g.writeStringField("serverURL", server.serverUrl());
            g.writeStringField("appId", server.appId());
            g.writeFieldName("masterKey");
            g.writeString(key, 0, key.length);
            g.writeStringField("appName", appName);
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        } finally {
            Arrays.fill(key, '\0');
        }
    }

    @Override
    public String toString() {
        return "LocalParseDashboard[" + url() + ", app " + appName + "]";
    }

    /** Options of a {@link LocalParseDashboard}; {@link #start()} builds and starts it. */
    public static final class Builder {
        private final LocalParseServer server;
        private String appName;
        private Path logDir;
        private Path repoRoot;
        private String node = "node";
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder(LocalParseServer server) {
            this.server = Objects.requireNonNull(server, "server");
        }

        /** The app's name in the dashboard and in its URLs (default: the server's app id). */
        public Builder appName(String appName) {
            this.appName = Objects.requireNonNull(appName);
            return this;
        }

        /** Where the dashboard's output goes (default: a new temporary folder, left in place). */
        public Builder logDir(Path logDir) {
            this.logDir = Objects.requireNonNull(logDir);
            return this;
        }

        /** The folder holding {@code node_modules/parse-dashboard} (default {@link RepoRoot#find()}). */
        public Builder repoRoot(Path repoRoot) {
            this.repoRoot = Objects.requireNonNull(repoRoot);
            return this;
        }

        /** The Node.js executable (default {@code node} from the PATH). */
        public Builder node(String node) {
            this.node = Objects.requireNonNull(node);
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Creates the object (and its config file) without starting the dashboard. */
        public LocalParseDashboard build() {
            try {
                return new LocalParseDashboard(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Builds and starts; a failed start closes what was created and rethrows. */
        public LocalParseDashboard start() {
            LocalParseDashboard d = build();
            try {
                d.start();
                return d;
            } catch (RuntimeException e) {
                d.close();
                throw e;
            }
        }
    }
}
