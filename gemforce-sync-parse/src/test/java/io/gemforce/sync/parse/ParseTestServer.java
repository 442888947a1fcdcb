package io.gemforce.sync.parse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private PostgreSQL cluster and a Parse Server on it, both on free loopback ports, for the
 * integration tests. Started once per JVM by {@link ParseServerExtension}; closed when the root
 * extension context closes (or at JVM exit). Server output goes to {@code target/parse-it/}. The
 * master key is random, lives in a 0600 temporary config file deleted on close, and is never printed.
 */
public final class ParseTestServer implements ExtensionContext.Store.CloseableResource {
    public static final String APP_ID = "gemforce-it";
    private static final Duration PG_START = Duration.ofSeconds(60);
    private static final Duration PARSE_START = Duration.ofSeconds(90);

    private final Path repoRoot;
    private final Path logDir;
    private final Path pgBin;
    private final Path pgDir;
    private final boolean asRoot;
    private final int pgPort;
    private final int parsePort;
    private final String masterKeyText;
    private final Secret masterKey;
    private final Path configFile;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Process postgres;
    private Process parse;

    private ParseTestServer() throws IOException {
        this.repoRoot = findRepoRoot();
        this.logDir = Path.of(System.getProperty("user.dir")).resolve("target").resolve("parse-it");
        Files.createDirectories(logDir);
        this.pgBin = findPostgresBin();
        this.asRoot = "root".equals(System.getProperty("user.name"));
        this.pgDir = Files.createTempDirectory("gemforce-pg-");
        this.pgPort = freePort();
        this.parsePort = freePort();
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        this.masterKeyText = "gf-it-mk-" + HexFormat.of().formatHex(key);
        this.masterKey = Secret.of(masterKeyText);
        Path configDir = Files.createTempDirectory("gemforce-parse-");
        this.configFile = configDir.resolve("config.json");
    }

    /** Starts PostgreSQL and Parse Server; fails with a message saying what is missing. */
    static ParseTestServer start() {
        ParseTestServer s;
        try {
            s = new ParseTestServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread hook = new Thread(s::close, "parse-test-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            s.startPostgres();
            s.writeConfig();
            s.startParse();
            return s;
        } catch (RuntimeException | IOException e) {
            s.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    // ------------------------------------------------------------------------------------ access

    public String serverUrl() {
        return "http://127.0.0.1:" + parsePort + "/parse";
    }

    public String appId() {
        return APP_ID;
    }

    public Secret masterKey() {
        return masterKey;
    }

    /** The folder holding postgres.log, parse-server.log and initdb.log. */
    public Path logDir() {
        return logDir;
    }

    /** A client builder for this server, with short retries (tests should fail fast). */
    public ParseClient.Builder clientBuilder() {
        return ParseClient.builder().serverUrl(serverUrl()).applicationId(APP_ID).masterKey(masterKey)
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(60))
                .retry(new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200), 2.0));
    }

    public ParseClient newClient() {
        return clientBuilder().build();
    }

    /** Deletes every object of the sink's classes (the classes stay). */
    public void purgeSinkClasses() {
        try (ParseClient c = newClient()) {
            for (ParseSchema.ClassDef d : ParseSchema.classes()) {
                c.purge(d.className());
            }
        }
    }

    /** Whether the log files contain the master key (they must not). */
    public boolean logsContainMasterKey() throws IOException {
        List<Path> candidates = new ArrayList<>();
        String clientLog = System.getProperty("org.slf4j.simpleLogger.logFile");
        if (clientLog != null && Files.isRegularFile(Path.of(clientLog))) {
            candidates.add(Path.of(clientLog));
        }
        try (Stream<Path> files = Files.walk(logDir)) {
            files.filter(Files::isRegularFile).forEach(candidates::add);
        }
        for (Path p : candidates) {
            if (Files.readString(p, StandardCharsets.ISO_8859_1).contains(masterKeyText)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------ parse server

    /** Starts Parse Server (again) on the same port and waits for {@code /health}. */
    public synchronized void startParse() {
        if (parse != null && parse.isAlive()) {
            return;
        }
        Path bin = repoRoot.resolve("node_modules/parse-server/bin/parse-server");
        ProcessBuilder pb = new ProcessBuilder("node", bin.toString(), configFile.toString())
                .directory(logDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve("parse-server.log").toFile()));
        try {
            parse = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run node (is Node.js 20 on the PATH?): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + PARSE_START.toNanos();
        try (ParseClient probe = ParseClient.builder().serverUrl(serverUrl()).applicationId(APP_ID)
                .masterKey(masterKey).connectTimeout(Duration.ofMillis(500)).readTimeout(Duration.ofSeconds(2))
                .retry(RetryPolicy.NONE).build()) {
            while (!probe.healthy()) {
                if (!parse.isAlive()) {
                    throw new IllegalStateException("Parse Server exited with " + parse.exitValue() + "; see "
                            + logDir.resolve("parse-server.log") + ":\n" + tail("parse-server.log"));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Parse Server did not answer /parse/health within " + PARSE_START
                            + "; see " + logDir.resolve("parse-server.log"));
                }
                pause(50);
            }
        }
    }

    /** Stops Parse Server (SIGTERM, then SIGKILL after 10 s) and waits until it has exited. */
    public synchronized void stopParse() {
        Process p = parse;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        parse = null;
    }

    public synchronized boolean parseRunning() {
        return parse != null && parse.isAlive();
    }

    private void writeConfig() throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode c = m.createObjectNode();
        c.put("appId", APP_ID);
        c.put("masterKey", masterKeyText);
        c.put("databaseURI", "postgres://postgres@127.0.0.1:" + pgPort + "/parse");
        c.put("port", parsePort);
        c.put("host", "127.0.0.1");
        c.put("mountPath", "/parse");
        c.put("serverURL", serverUrl());
        c.put("allowCustomObjectId", true);
        c.putArray("masterKeyIps").add("127.0.0.1").add("::1");
        c.put("logLevel", "warn");
        c.put("logsFolder", logDir.resolve("parse-logs").toString());
        Files.createFile(configFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(configFile, m.writeValueAsBytes(c));
    }

    // -------------------------------------------------------------------------------- postgresql

    private void startPostgres() throws IOException {
        Path data = pgDir.resolve("data");
        if (asRoot) {
            UserPrincipal pgUser;
            try {
                pgUser = pgDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            } catch (IOException e) {
                throw new IllegalStateException("no 'postgres' system user: PostgreSQL refuses to run as root and the"
                        + " tests run it as 'postgres'; run `apt-get install -y postgresql`", e);
            }
            Files.setOwner(pgDir, pgUser);
        }
        Files.setPosixFilePermissions(pgDir, PosixFilePermissions.fromString("rwx------"));
        Path initLog = logDir.resolve("initdb.log");
        int rc = run(initLog, Duration.ofSeconds(60), pgCommand("initdb", "-D", data.toString(), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"));
        if (rc != 0) {
            throw new IllegalStateException("initdb failed (exit " + rc + "); see " + initLog + ":\n" + tail("initdb.log"));
        }
        Path pgLog = logDir.resolve("postgres.log");
        Files.deleteIfExists(pgLog);
        ProcessBuilder pb = new ProcessBuilder(pgCommand("postgres", "-D", data.toString(), "-p",
                Integer.toString(pgPort), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="
                        + pgDir, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"))
                .directory(pgDir.toFile()).redirectErrorStream(true).redirectOutput(pgLog.toFile());
        postgres = pb.start();
        long deadline = System.nanoTime() + PG_START.toNanos();
        while (true) {
            String logText = Files.exists(pgLog) ? Files.readString(pgLog, StandardCharsets.ISO_8859_1) : "";
            if (logText.contains("ready to accept connections")) {
                break;
            }
            if (!postgres.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited with " + postgres.exitValue() + "; see " + pgLog
                        + ":\n" + tail("postgres.log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL was not ready within " + PG_START + "; see " + pgLog);
            }
            pause(50);
        }
        rc = run(logDir.resolve("createdb.log"), Duration.ofSeconds(30), List.of(pgBin.resolve("createdb").toString(),
                "-h", "127.0.0.1", "-p", Integer.toString(pgPort), "-U", "postgres", "parse"));
        if (rc != 0) {
            throw new IllegalStateException("createdb failed (exit " + rc + "):\n" + tail("createdb.log"));
        }
    }

    private void stopPostgres() {
        Process p = postgres;
        if (p == null) {
            return;
        }
        try {
            if (p.isAlive()) {
                run(logDir.resolve("pg_ctl-stop.log"), Duration.ofSeconds(40), pgCommand("pg_ctl", "-D",
                        pgDir.resolve("data").toString(), "-m", "fast", "-w", "-t", "30", "stop"));
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        postgres = null;
    }

    private List<String> pgCommand(String program, String... args) {
        List<String> cmd = new ArrayList<>();
        if (asRoot) {
            cmd.addAll(List.of(runuser(), "-u", "postgres", "--"));
        }
        cmd.add(pgBin.resolve(program).toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String runuser() {
        for (String p : List.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return "runuser";
    }

    private int run(Path log, Duration timeout, List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(pgDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd.get(asRoot ? 4 : 0) + " did not finish within " + timeout);
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ------------------------------------------------------------------------------------- close

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopParse();
        stopPostgres();
        deleteTree(pgDir);
        deleteTree(configFile.getParent());
        masterKey.destroy();
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    // ----------------------------------------------------------------------------------- helpers

    private String tail(String file) {
        try {
            String t = Files.readString(logDir.resolve(file), StandardCharsets.ISO_8859_1);
            t = t.length() > 3000 ? t.substring(t.length() - 3000) : t;
            return t.replace(masterKeyText, "****");
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static Path findRepoRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("package.json"))) {
                if (!Files.isRegularFile(d.resolve("node_modules/parse-server/bin/parse-server"))) {
                    throw new IllegalStateException("node_modules/parse-server is missing in " + d
                            + ": run `npm ci` there (parse-server and router are pinned in package.json)");
                }
                return d;
            }
        }
        throw new IllegalStateException("no package.json found above " + dir + ": run the tests inside the repository");
    }

    static Path findPostgresBin() {
        return findPostgresBin(Path.of("/usr/lib/postgresql"));
    }

    static Path findPostgresBin(Path base) {
        List<Path> bins = new ArrayList<>();
        if (Files.isDirectory(base)) {
            try (Stream<Path> s = Files.list(base)) {
                s.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb"))
                        && Files.isExecutable(b.resolve("postgres")) && Files.isExecutable(b.resolve("pg_ctl")))
                        .forEach(bins::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (bins.isEmpty()) {
            throw new IllegalStateException("PostgreSQL server binaries not found under " + base + "/*/bin:"
                    + " run `apt-get install -y postgresql` (or scripts/parse/prereqs.sh)");
        }
        bins.sort(Comparator.comparingInt(b -> version(b.getParent().getFileName().toString())));
        return bins.get(bins.size() - 1);
    }

    private static int version(String s) {
        try {
            return Integer.parseInt(s.replaceAll("[^0-9].*$", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public String toString() {
        return "ParseTestServer[" + serverUrl() + ", postgres 127.0.0.1:" + pgPort + "]";
    }
}
