package io.gemforce.sync.testbed;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster for tests, demos and benchmarks, run from the Debian server binaries
 * ({@code /usr/lib/postgresql/<version>/bin}, newest version first). The cluster lives in a temporary
 * folder deleted on {@link #close()}; it listens on 127.0.0.1 only, on a free port that stays the same
 * across {@link #stop()} / {@link #start()}, with {@code fsync=off} (a throw-away cluster needs no
 * durability). Authentication is {@code trust} for the superuser {@value #USER}.
 *
 * <p>PostgreSQL refuses to run as root: when this JVM runs as root, {@code initdb}, {@code postgres}
 * and {@code pg_ctl} run as the {@code postgres} system user through {@code runuser -u postgres --},
 * and the data folder is owned by that user.
 *
 * <p>Output goes to {@code initdb.log}, {@code postgres.log} (appended across restarts),
 * {@code createdb.log} and {@code pg_ctl-stop.log} in the log folder.
 */
public final class LocalPostgres implements AutoCloseable {
    /** The superuser of the cluster (trust authentication from loopback). */
    public static final String USER = "postgres";
    public static final String HOST = "127.0.0.1";
    private static final Path DEBIAN_BASE = Path.of("/usr/lib/postgresql");

    private final Path binDir;
    private final Path logDir;
    private final Path baseDir;
    private final Path dataDir;
    private final boolean asRoot;
    private final int port;
    private final Duration startTimeout;
    private final Map<String, String> settings;
    private final Set<String> databases = new HashSet<>();
    private final Thread shutdownHook;
    private boolean initialised;
    private boolean closed;
    private Process process;

    private LocalPostgres(Builder b) throws IOException {
        this.binDir = b.binDir != null ? b.binDir : findBinaries();
        this.logDir = b.logDir != null ? b.logDir.toAbsolutePath() : Files.createTempDirectory("gemforce-pg-logs-");
        Files.createDirectories(logDir);
        this.asRoot = runningAsRoot();
        this.port = Ports.free();
        this.startTimeout = b.startTimeout;
        this.settings = new LinkedHashMap<>(b.settings);
        this.baseDir = Files.createTempDirectory("gemforce-pg-");
        this.dataDir = baseDir.resolve("data");
        this.shutdownHook = new Thread(this::close, "local-postgres-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A cluster with the default settings and its output in {@code logDir} (created if needed), started. */
    public static LocalPostgres start(Path logDir) {
        return builder().logDir(logDir).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------ access

    public String host() {
        return HOST;
    }

    /** The TCP port; the same for the life of this object, across restarts. */
    public int port() {
        return port;
    }

    /** A libpq-style URI, e.g. for Parse Server's {@code databaseURI}: {@code postgres://postgres@127.0.0.1:<port>/<db>}. */
    public String uri(String database) {
        return "postgres://" + USER + "@" + HOST + ":" + port + "/" + requireName(database);
    }

    /** A JDBC URL for the PostgreSQL driver (user {@value #USER}, no password). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + requireName(database) + "?user=" + USER;
    }

    /** The cluster's folder (deleted on close). */
    Path baseDir() {
        return baseDir;
    }

    /** The folder holding the server binaries in use. */
    public Path binDir() {
        return binDir;
    }

    public Path logDir() {
        return logDir;
    }

    // --------------------------------------------------------------------------------- lifecycle

    /**
     * Starts the server (running {@code initdb} the first time) and waits until it accepts
     * connections. Does nothing when it is running already.
     */
    public synchronized void start() {
        ensureOpen();
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            if (!initialised) {
                initdb();
                initialised = true;
            }
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the server ({@code pg_ctl stop -m fast}: open connections are cut) and waits until its
     * process has exited. The data stay; {@link #start()} brings them back on the same port.
     */
    public synchronized void stop() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        try {
            if (p.isAlive()) {
                Path log = logDir.resolve("pg_ctl-stop.log");
                int rc = run(log, Duration.ofSeconds(45),
                        pgCommand("pg_ctl", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "30", "stop"));
                if (rc != 0 && p.isAlive()) {
                    Ports.kill(p);
                }
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                Ports.kill(p);
            }
        } catch (IOException | RuntimeException e) {
            Ports.kill(p);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Ports.kill(p);
        }
    }

    /** {@link #stop()} then {@link #start()}: same port, same data. */
    public synchronized void restart() {
        stop();
        start();
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** Creates a database owned by {@value #USER}, unless this object created it already. The server must run. */
    public synchronized void createDatabase(String name) {
        requireName(name);
        if (databases.contains(name)) {
            return;
        }
        if (!running()) {
            throw new IllegalStateException("PostgreSQL is not running: start() it before creating a database");
        }
        Path log = logDir.resolve("createdb.log");
        try {
            int rc = run(log, Duration.ofSeconds(30), List.of(binDir.resolve("createdb").toString(), "-h", HOST, "-p",
                    Integer.toString(port), "-U", USER, name));
            if (rc != 0 && !tail(log).contains("already exists")) {
                throw new IllegalStateException("createdb " + name + " failed (exit " + rc + "); see " + log + ":\n"
                        + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        databases.add(name);
    }

    /** Stops the server, waits for its exit and deletes the cluster's folder. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stop();
        }
        deleteTree(baseDir);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | SecurityException alreadyShuttingDown) {
            // called from the hook itself, or during JVM shutdown
        }
    }

    // ------------------------------------------------------------------------------------ inside

    private void initdb() throws IOException {
        if (asRoot) {
            UserPrincipal pgUser;
            try {
                pgUser = baseDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
            } catch (IOException e) {
                throw new IllegalStateException("no '" + USER + "' system user: PostgreSQL refuses to run as root and"
                        + " is run as '" + USER + "'; run `apt-get install -y postgresql`", e);
            }
            Files.setOwner(baseDir, pgUser);
        }
        Files.setPosixFilePermissions(baseDir, PosixFilePermissions.fromString("rwx------"));
        Path log = logDir.resolve("initdb.log");
        int rc = run(log, Duration.ofSeconds(90), pgCommand("initdb", "-D", dataDir.toString(), "-U", USER,
                "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"));
        if (rc != 0) {
            throw new IllegalStateException("initdb failed (exit " + rc + "); see " + log + ":\n" + tail(log));
        }
    }

    private void launch() throws IOException {
        Path log = logDir.resolve("postgres.log");
        long offset = Files.exists(log) ? Files.size(log) : 0;
        List<String> args = new ArrayList<>(List.of("-D", dataDir.toString(), "-p", Integer.toString(port)));
        Map<String, String> all = new LinkedHashMap<>();
        all.put("listen_addresses", HOST);
        all.put("unix_socket_directories", baseDir.toString());
        all.put("fsync", "off");
        all.put("synchronous_commit", "off");
        all.put("full_page_writes", "off");
        all.putAll(settings);
        all.forEach((k, v) -> {
            args.add("-c");
            args.add(k + "=" + v);
        });
        Process p = new ProcessBuilder(pgCommand("postgres", args.toArray(String[]::new))).directory(baseDir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        process = p;
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (!readSince(log, offset).contains("ready to accept connections")) {
            if (!p.isAlive()) {
                process = null;
                throw new IllegalStateException("PostgreSQL exited with " + p.exitValue() + "; see " + log + ":\n"
                        + tail(log));
            }
            if (System.nanoTime() > deadline) {
                process = null;
                Ports.kill(p);
                throw new IllegalStateException("PostgreSQL was not ready within " + startTimeout + "; see " + log);
            }
            Ports.pause(50);
        }
    }

    private List<String> pgCommand(String program, String... args) {
        List<String> cmd = new ArrayList<>();
        if (asRoot) {
            cmd.addAll(List.of(runuser(), "-u", USER, "--"));
        }
        cmd.add(binDir.resolve(program).toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    private int run(Path log, Duration timeout, List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(baseDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Ports.kill(p);
                throw new IllegalStateException(Path.of(cmd.get(asRoot ? 4 : 0)).getFileName() + " did not finish within "
                        + timeout + "; see " + log);
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Ports.kill(p);
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String readSince(Path log, long offset) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            if (len <= offset) {
                return "";
            }
            byte[] b = new byte[(int) Math.min(len - offset, 1 << 20)];
            f.seek(offset);
            f.readFully(b);
            return new String(b, StandardCharsets.ISO_8859_1);
        }
    }

    private synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this LocalPostgres is closed");
        }
    }

    private static String requireName(String database) {
        Objects.requireNonNull(database, "database");
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        return database;
    }

    static String tail(Path file) {
        try {
            String t = Files.readString(file, StandardCharsets.ISO_8859_1);
            return t.length() > 3000 ? t.substring(t.length() - 3000) : t;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static void deleteTree(Path root) {
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

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String runuser() {
        for (String p : List.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return "runuser";
    }

    // ---------------------------------------------------------------------------------- binaries

    /** The newest Debian PostgreSQL server binaries, {@code /usr/lib/postgresql/<version>/bin}. */
    public static Path findBinaries() {
        return findBinaries(DEBIAN_BASE);
    }

    /**
     * The {@code <version>/bin} folder under {@code base} with the highest major version that holds
     * {@code initdb}, {@code postgres} and {@code pg_ctl}.
     *
     * @throws IllegalStateException saying how to install them when there is none
     */
    public static Path findBinaries(Path base) {
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
        bins.sort(Comparator.comparingInt(b -> majorVersion(b.getParent().getFileName().toString())));
        return bins.get(bins.size() - 1);
    }

    private static int majorVersion(String s) {
        try {
            return Integer.parseInt(s.replaceAll("[^0-9].*$", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public String toString() {
        return "LocalPostgres[" + HOST + ":" + port + ", " + binDir + "]";
    }

    /** Options of a {@link LocalPostgres}; {@link #start()} builds and starts it. */
    public static final class Builder {
        private Path binDir;
        private Path logDir;
        private Duration startTimeout = Duration.ofSeconds(60);
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {
        }

        /** The folder of {@code initdb}, {@code postgres}, {@code pg_ctl}, {@code createdb} (default: {@link #findBinaries()}). */
        public Builder binDir(Path binDir) {
            this.binDir = Objects.requireNonNull(binDir);
            return this;
        }

        /** Where the server's output goes (default: a new temporary folder, left in place). */
        public Builder logDir(Path logDir) {
            this.logDir = Objects.requireNonNull(logDir);
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** A server setting passed as {@code -c name=value} (after, and so overriding, the defaults). */
        public Builder setting(String name, String value) {
            settings.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /** Creates the object without starting the server. */
        public LocalPostgres build() {
            try {
                return new LocalPostgres(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Builds and starts; a failed start closes what was created and rethrows. */
        public LocalPostgres start() {
            LocalPostgres pg = build();
            try {
                pg.start();
                return pg;
            } catch (RuntimeException e) {
                pg.close();
                throw e;
            }
        }
    }
}
