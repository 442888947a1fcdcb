package io.gemforce.sync.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.QueueDispatcher;
import org.junit.jupiter.api.Test;

/**
 * The master key must never show: not in toString, exception messages, stack traces or log lines
 * (the client logs every request at debug level in these tests), even when the server echoes it.
 */
class SecretRedactionTest {
    private static final String KEY = "MASTER-KEY-7f3a9c-DO-NOT-LEAK";

    @Test
    void secretsAndClientsDoNotPrintTheKey() {
        Secret s = Secret.of(KEY.toCharArray());
        assertThat(s.toString()).doesNotContain(KEY).isEqualTo("Secret[redacted]");
        assertThat(String.valueOf(s)).doesNotContain(KEY);
        try (ParseClient c = ParseClient.builder().serverUrl("http://127.0.0.1:1/parse").applicationId("app")
                .masterKey(s).build()) {
            assertThat(c.toString()).doesNotContain(KEY).contains("127.0.0.1").contains("redacted");
            assertThat(ParseStateSink.builder(c).bootstrapSchema(false).build().toString()).doesNotContain(KEY);
        }
        s.destroy();
        assertThat(catchThrowableOfType(IllegalStateException.class, s::reveal)).isNotNull();
    }

    @Test
    void exceptionsAndLogsNeverContainTheKey() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path logFile = System.getProperty("org.slf4j.simpleLogger.logFile") == null ? null
                : Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"));
        long logStart = logFile != null && Files.exists(logFile) ? Files.size(logFile) : 0;
        List<Throwable> failures = new ArrayList<>();
        String sentKey;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (MockWebServer web = new MockWebServer()) {
            ((QueueDispatcher) web.getDispatcher()).setFailFast(true);
            web.start();
            try (ParseClient c = ParseClient.builder().serverUrl(web.url("/parse").toString()).applicationId("app")
                    .masterKey(Secret.of(KEY)).readTimeout(Duration.ofSeconds(5))
                    .retry(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(2), 2.0)).build()) {
                // a server that echoes the key back in its error (as a badly written proxy might)
                web.enqueue(new MockResponse().setResponseCode(400)
                        .setBody("{\"code\":141,\"error\":\"invalid key " + KEY + "\"}"));
                failures.add(catchThrowableOfType(ParseException.class,
                        () -> c.create("Thing", JsonNodeFactory.instance.objectNode().put("a", 1))));
                web.enqueue(new MockResponse().setResponseCode(503).setBody("upstream said " + KEY));
                web.enqueue(new MockResponse().setResponseCode(503).setBody("upstream said " + KEY));
                failures.add(catchThrowableOfType(ParseException.class, () -> c.find("Thing", ParseQuery.all())));
                web.enqueue(new MockResponse().setResponseCode(200)
                        .setBody("[{\"error\":{\"code\":1,\"error\":\"echo " + KEY + "\"}}]"));
                var r = c.batch(List.of(BatchOp.delete("Thing", "x")), false);
                assertThat(r.get(0).errorMessage()).doesNotContain(KEY).contains("****");
                sentKey = web.takeRequest().getHeader("X-Parse-Master-Key");
            }
            // no answer at all: a port where nothing listens
            String closed;
            try (MockWebServer gone = new MockWebServer()) {
                gone.start();
                closed = gone.url("/parse").toString();
            }
            try (ParseClient c = ParseClient.builder().serverUrl(closed).applicationId("app").masterKey(Secret.of(KEY))
                    .retry(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(2), 2.0)).build()) {
                failures.add(catchThrowableOfType(ParseException.class, () -> c.delete("Thing", "x")));
            }
        } finally {
            System.setErr(originalErr);
        }
        assertThat(sentKey).as("the key is sent, in its header").isEqualTo(KEY);

        assertThat(failures).hasSize(3).doesNotContainNull();
        for (Throwable t : failures) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).doesNotContain(KEY);
            assertThat(t.toString()).doesNotContain(KEY);
        }
        assertThat(((ParseException) failures.get(0)).parseError()).isEqualTo("invalid key ****");

        String logs = err.toString(StandardCharsets.UTF_8);
        if (logFile != null) {
            byte[] all = Files.readAllBytes(logFile);
            logs += new String(all, (int) logStart, all.length - (int) logStart, StandardCharsets.UTF_8);
        }
        assertThat(logs).as("the client logged these requests").contains("POST /parse/classes/Thing")
                .contains("GET /parse/classes/Thing");
        assertThat(logs).doesNotContain(KEY);
    }
}
