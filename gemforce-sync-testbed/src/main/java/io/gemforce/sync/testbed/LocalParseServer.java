package io.gemforce.sync.testbed;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Parse Server from the repository's npm packages ({@code node_modules/parse-server}, installed by
 * {@code npm ci}), run with {@code node} on a {@link LocalPostgres}, on a free loopback port that stays
 * the same across {@link #stop()} / {@link #start()}, mounted at {@code /parse}.
 *
 * <p>Configuration: {@code allowCustomObjectId: true}, {@code masterKeyIps} loopback only, a random
 * master key generated here. The key is held as a {@code char[]}, written only to a 0600 config file
 * in a private temporary folder (deleted on {@link #close()}), and never printed: {@link #toString()}
 * and every error message leave it out, and {@link #masterKey()} hands out copies.
 *
 * <p>Output goes to {@code parse-server.log} (appended across restarts) and Parse's own
 * {@code parse-logs/} in the log folder.
 */
public final class LocalParseServer implements AutoCloseable {
    public static final String MOUNT_PATH = "/parse";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final LocalPostgres postgres;
    private final String appId;
    private final String database;
    private final Path logDir;
    private final Path entryPoint;
    private final String node;
    private final int port;
    private final Duration startTimeout;
    private final char[] masterKey;
    private final Path configDir;
    private final Path configFile;
    private final Thread shutdownHook;
    private volatile boolean closed;
    private Process process;

    private LocalParseServer(Builder b) throws IOException {
        this.postgres = b.postgres;
        this.appId = b.appId;
        this.database = b.database;
        Path root = b.repoRoot != null ? b.repoRoot : RepoRoot.find();
        this.entryPoint = root.resolve("node_modules/parse-server/bin/parse-server");
        if (!Files.isRegularFile(entryPoint)) {
            throw new IllegalStateException("Parse Server is not installed: run `npm ci` in " + root
                    + " (parse-server and router are pinned in package.json; looked for " + entryPoint + ")");
        }
        this.node = b.node;
        this.startTimeout = b.startTimeout;
        this.logDir = b.logDir != null ? b.logDir.toAbsolutePath() : Files.createTempDirectory("gemforce-parse-logs-");
        Files.createDirectories(logDir);
        this.port = Ports.free();
        this.masterKey = newMasterKey();
        this.configDir = Files.createTempDirectory("gemforce-parse-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        this.configFile = configDir.resolve("config.json");
        writeConfig(b);
        this.shutdownHook = new Thread(this::close, "local-parse-server-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A Parse Server builder on {@code postgres} (which must be started before this server starts). */
    public static Builder builder(LocalPostgres postgres) {
        return new Builder(postgres);
    }

    // ------------------------------------------------------------------------------------ access

    /** The server URL with the mount path: {@code http://127.0.0.1:<port>/parse}. */
    public String serverUrl() {
        return "http://127.0.0.1:" + port + MOUNT_PATH;
    }

    public String appId() {
        return appId;
    }

    /** A copy of the master key; wipe it ({@code Arrays.fill(key, '\0')}) when done. */
    public char[] masterKey() {
        synchronized (masterKey) {
            if (closed) {
                throw new IllegalStateException("this LocalParseServer is closed");
            }
            return masterKey.clone();
        }
    }

    public int port() {
        return port;
    }

    public LocalPostgres postgres() {
        return postgres;
    }

    /** The database on {@link #postgres()} that Parse uses. */
    public String database() {
        return database;
    }

    public Path logDir() {
        return logDir;
    }

    /** Parse Server's standard output and error. */
    public Path logFile() {
        return logDir.resolve("parse-server.log");
    }

    // --------------------------------------------------------------------------------- lifecycle

    /**
     * Starts Parse Server (again, on the same port) and waits until {@code GET /parse/health}
     * answers {@code ok}. Creates the database on first use. Does nothing when it is running.
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("this LocalParseServer is closed");
        }
        if (process != null && process.isAlive()) {
            return;
        }
        postgres.createDatabase(database);
        ProcessBuilder pb = new ProcessBuilder(node, entryPoint.toString(), configFile.toString())
                .directory(logDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run '" + node + "' (is Node.js 20 on the PATH?): " + e.getMessage(), e);
        }
        process = p;
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (!healthy()) {
            if (!p.isAlive()) {
                process = null;
                throw new IllegalStateException("Parse Server exited with " + p.exitValue() + "; see " + logFile()
                        + ":\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                process = null;
                Ports.kill(p);
                throw new IllegalStateException("Parse Server did not answer " + MOUNT_PATH + "/health within "
                        + startTimeout + "; see " + logFile() + ":\n" + tail());
            }
            Ports.pause(50);
        }
    }

    /** Stops Parse Server (SIGTERM, then SIGKILL after 10 s) and waits until it has exited. */
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

    /** Kills Parse Server at once (SIGKILL), as a crash would, and waits until it has exited. */
    public synchronized void kill() {
        Process p = process;
        process = null;
        if (p != null) {
            Ports.kill(p);
            p.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** {@link #stop()} then {@link #start()}, on the same port. */
    public synchronized void restart() {
        stop();
        start();
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** One {@code GET /parse/health}: whether it answers {@code {"status":"ok"}}. */
    public boolean healthy() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(serverUrl() + "/health").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            try {
                if (c.getResponseCode() != 200) {
                    return false;
                }
                try (InputStream in = c.getInputStream()) {
                    JsonNode n = JSON.readTree(in);
                    return "ok".equals(n.path("status").asText());
                }
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether any file under the log folder, or any of {@code moreFiles}, contains the master key
     * (none should).
     */
    public boolean logsContainMasterKey(Path... moreFiles) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : moreFiles) {
            if (p != null && Files.isRegularFile(p)) {
                files.add(p);
            }
        }
        try (Stream<Path> s = Files.walk(logDir)) {
            s.filter(Files::isRegularFile).forEach(files::add);
        }
        String key = new String(masterKey());
        for (Path p : files) {
            if (Files.readString(p, StandardCharsets.ISO_8859_1).contains(key)) {
                return true;
            }
        }
        return false;
    }

    /** Stops the server, deletes the config folder and wipes the master key. Leaves the PostgreSQL running. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            stop();
            LocalPostgres.deleteTree(configDir);
            synchronized (masterKey) {
                closed = true;
                Arrays.fill(masterKey, '\0');
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | SecurityException alreadyShuttingDown) {
            // called from the hook itself, or during JVM shutdown
        }
    }

    // ------------------------------------------------------------------------------------ inside

    private void writeConfig(Builder b) throws IOException {
        Files.createFile(configFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(configFile, StandardOpenOption.TRUNCATE_EXISTING);
                JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("appId", appId);
            g.writeFieldName("masterKey");
            g.writeString(masterKey, 0, masterKey.length);
            g.writeStringField("databaseURI", postgres.uri(database));
            g.writeNumberField("port", port);
            g.writeStringField("host", "127.0.0.1");
            g.writeStringField("mountPath", MOUNT_PATH);
            g.writeStringField("serverURL", serverUrl());
            g.writeBooleanField("allowCustomObjectId", true);
            g.writeArrayFieldStart("masterKeyIps");
            g.writeString("127.0.0.1");
            g.writeString("::1");
            g.writeEndArray();
            g.writeStringField("logLevel", b.logLevel);
            g.writeStringField("logsFolder", logDir.resolve("parse-logs").toString());
            for (Map.Entry<String, Object> e : b.options.entrySet()) {
                g.writeFieldName(e.getKey());
                g.writeTree(JSON.valueToTree(e.getValue()));
            }
            g.writeEndObject();
        }
    }

    private static char[] newMasterKey() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String prefix = "gf-mk-";
        char[] key = new char[prefix.length() + random.length * 2];
        prefix.getChars(0, prefix.length(), key, 0);
        for (int i = 0; i < random.length; i++) {
            key[prefix.length() + 2 * i] = HEX[(random[i] >> 4) & 0xf];
            key[prefix.length() + 2 * i + 1] = HEX[random[i] & 0xf];
        }
        Arrays.fill(random, (byte) 0);
        return key;
    }

    private String tail() {
        String t = LocalPostgres.tail(logFile());
        synchronized (masterKey) {
            return closed ? t : t.replace(new String(masterKey), "****");
        }
    }

    @Override
    public String toString() {
        return "LocalParseServer[" + serverUrl() + ", appId=" + appId + ", " + postgres + "]";
    }

    /** Options of a {@link LocalParseServer}; {@link #start()} builds and starts it. */
    public static final class Builder {
        private final LocalPostgres postgres;
        private String appId = "gemforce-local";
        private String database = "parse";
        private Path logDir;
        private Path repoRoot;
        private String node = "node";
        private String logLevel = "warn";
        private Duration startTimeout = Duration.ofSeconds(90);
        private final Map<String, Object> options = new LinkedHashMap<>();

        private Builder(LocalPostgres postgres) {
            this.postgres = Objects.requireNonNull(postgres, "postgres");
        }

        public Builder appId(String appId) {
            this.appId = Objects.requireNonNull(appId);
            return this;
        }

        /** The database on the PostgreSQL (created on first start; default {@code parse}). */
        public Builder database(String database) {
            this.database = Objects.requireNonNull(database);
            return this;
        }

        /** Where the server's output goes (default: a new temporary folder, left in place). */
        public Builder logDir(Path logDir) {
            this.logDir = Objects.requireNonNull(logDir);
            return this;
        }

        /** The folder holding {@code node_modules/parse-server} (default {@link RepoRoot#find()}). */
        public Builder repoRoot(Path repoRoot) {
            this.repoRoot = Objects.requireNonNull(repoRoot);
            return this;
        }

        /** The Node.js executable (default {@code node} from the PATH). */
        public Builder node(String node) {
            this.node = Objects.requireNonNull(node);
            return this;
        }

        /** Parse Server's {@code logLevel} (default {@code warn}; never {@code verbose}: it logs the master key). */
        public Builder logLevel(String logLevel) {
            this.logLevel = Objects.requireNonNull(logLevel);
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * Another Parse Server option for the config file (any JSON-serialisable value), e.g.
         * {@code option("maxUploadSize", "50mb")}. The options this class sets itself (app id, keys,
         * database, port, mount path, custom object ids, master key IPs) cannot be replaced.
         */
        public Builder option(String name, Object value) {
            Objects.requireNonNull(name);
            if (List.of("appId", "masterKey", "databaseURI", "port", "host", "mountPath", "serverURL",
                    "allowCustomObjectId", "masterKeyIps", "logLevel", "logsFolder").contains(name)) {
                throw new IllegalArgumentException(name + " is set by LocalParseServer");
            }
            options.put(name, value);
            return this;
        }

        /** Creates the object (and its config file) without starting the server. */
        public LocalParseServer build() {
            try {
                return new LocalParseServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Builds and starts; a failed start closes what was created and rethrows. */
        public LocalParseServer start() {
            LocalParseServer s = build();
            try {
                s.start();
                return s;
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
        }
    }
}
