package io.gemforce.sync.parse;

import io.gemforce.sync.testbed.LocalParseServer;
import io.gemforce.sync.testbed.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private PostgreSQL cluster and a Parse Server on it, both on free loopback ports, for the
 * integration tests: a thin wrapper over the testbed's {@link LocalPostgres} and
 * {@link LocalParseServer} that adds what the tests need (a {@link ParseClient} builder, purging the
 * sink's classes, the master-key log check). Started once per JVM by {@link ParseServerExtension};
 * closed when the root extension context closes (or at JVM exit). Server output goes to
 * {@code target/parse-it/}. The master key is random and never printed.
 */
public final class ParseTestServer implements ExtensionContext.Store.CloseableResource {
    public static final String APP_ID = "gemforce-it";

    private final LocalPostgres postgres;
    private final LocalParseServer parse;
    private final Secret masterKey;
    private final char[] webhookKey;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ParseTestServer(LocalPostgres postgres, LocalParseServer parse, char[] webhookKey) {
        this.postgres = postgres;
        this.parse = parse;
        this.webhookKey = webhookKey;
        char[] key = parse.masterKey();
        try {
            this.masterKey = Secret.of(key);
        } finally {
            Arrays.fill(key, '\0');
        }
    }

    /** Starts PostgreSQL and Parse Server; fails with a message saying what is missing. */
    static ParseTestServer start() {
        Path logDir = Path.of(System.getProperty("user.dir")).resolve("target").resolve("parse-it");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalPostgres pg = LocalPostgres.builder().logDir(logDir).start();
        try {
            char[] webhookKey = ("gf-wh-" + java.util.UUID.randomUUID().toString().replace("-", "")).toCharArray();
            LocalParseServer parse = LocalParseServer.builder(pg).appId(APP_ID).logDir(logDir)
                    .option("webhookKey", new String(webhookKey)).start();
            return new ParseTestServer(pg, parse, webhookKey);
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------ access

    public String serverUrl() {
        return parse.serverUrl();
    }

    public String appId() {
        return parse.appId();
    }

    public Secret masterKey() {
        return masterKey;
    }

    /** The server's {@code webhookKey} (a copy), which Parse sends to cloud-function webhooks. */
    public char[] webhookKey() {
        return webhookKey.clone();
    }

    /** The folder holding postgres.log, parse-server.log and initdb.log. */
    public Path logDir() {
        return parse.logDir();
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

    /** Whether the log files (servers' and this JVM's client log) contain the master key (they must not). */
    public boolean logsContainMasterKey() throws IOException {
        String clientLog = System.getProperty("org.slf4j.simpleLogger.logFile");
        return parse.logsContainMasterKey(clientLog == null ? null : Path.of(clientLog));
    }

    // ------------------------------------------------------------------------------ parse server

    /** Starts Parse Server (again) on the same port and waits for {@code /health}. */
    public void startParse() {
        parse.start();
    }

    /** Stops Parse Server (SIGTERM, then SIGKILL after 10 s) and waits until it has exited. */
    public void stopParse() {
        parse.stop();
    }

    /** Kills Parse Server with SIGKILL, as a crash would. */
    public void killParse() {
        parse.kill();
    }

    public boolean parseRunning() {
        return parse.running();
    }

    // -------------------------------------------------------------------------------- postgresql

    /**
     * Stops PostgreSQL ({@code pg_ctl stop -m fast}, open connections are cut) and waits for its exit.
     * Parse Server keeps running and answers with errors until {@link #startPostgres()}.
     */
    public void stopPostgres() {
        postgres.stop();
    }

    /** Starts PostgreSQL again, same port and data. */
    public void startPostgres() {
        postgres.start();
    }

    public boolean postgresRunning() {
        return postgres.running();
    }

    // ------------------------------------------------------------------------------------- close

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            parse.close();
        } finally {
            postgres.close();
            masterKey.destroy();
        }
    }

    static Path findPostgresBin(Path base) {
        return LocalPostgres.findBinaries(base);
    }

    @Override
    public String toString() {
        return "ParseTestServer[" + serverUrl() + ", postgres 127.0.0.1:" + postgres.port() + "]";
    }
}
