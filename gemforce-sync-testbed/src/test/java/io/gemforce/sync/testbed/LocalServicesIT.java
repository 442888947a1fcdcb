package io.gemforce.sync.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL and Parse Server from the testbed: start, restart on the same port, data kept, cleanup. */
class LocalServicesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build();

    @TempDir
    Path logs;

    @Test
    void restartsKeepPortsAndData() throws Exception {
        Path clusterDir;
        LocalParseServer parse;
        try (LocalPostgres pg = LocalPostgres.builder().logDir(logs).start()) {
            clusterDir = pg.baseDir();
            parse = LocalParseServer.builder(pg).appId("testbed-it").logDir(logs).start();
            try (parse) {
                String url = parse.serverUrl();
                assertThat(url).isEqualTo("http://127.0.0.1:" + parse.port() + "/parse");
                assertThat(parse.toString()).doesNotContain(new String(parse.masterKey()));
                String id = create(parse, "{\"n\":1}");

                parse.stop();
                assertThat(parse.running()).isFalse();
                assertThat(parse.healthy()).isFalse();
                parse.start();
                assertThat(parse.serverUrl()).isEqualTo(url);
                assertThat(get(parse, id).path("n").asInt()).isEqualTo(1);

                int port = pg.port();
                pg.stop();
                assertThat(pg.running()).isFalse();
                pg.start();
                assertThat(pg.port()).isEqualTo(port);
                assertThat(get(parse, id).path("n").asInt()).as("Parse reconnects to the restarted database").isEqualTo(1);

                pg.restart();
                parse.restart();
                assertThat(get(parse, id).path("n").asInt()).isEqualTo(1);

                char[] copy = parse.masterKey();
                Arrays.fill(copy, 'x');
                assertThat(parse.masterKey()).isNotEqualTo(copy);
                assertThat(parse.logsContainMasterKey()).isFalse();
            }
            assertThat(parse.running()).isFalse();
            assertThatThrownBy(parse::masterKey).isInstanceOf(IllegalStateException.class);
            assertThat(pg.running()).as("closing Parse leaves PostgreSQL running").isTrue();
        }
        assertThat(clusterDir).doesNotExist();
        assertThat(logs.resolve("postgres.log")).exists();
        assertThat(Files.readString(logs.resolve("postgres.log"))).contains("ready to accept connections");
    }

    private String create(LocalParseServer parse, String body) throws IOException {
        return call(parse, new Request.Builder().url(parse.serverUrl() + "/classes/Probe")
                .post(RequestBody.create(body, MediaType.get("application/json")))).path("objectId").asText();
    }

    private JsonNode get(LocalParseServer parse, String id) throws IOException {
        return call(parse, new Request.Builder().url(parse.serverUrl() + "/classes/Probe/" + id).get());
    }

    private JsonNode call(LocalParseServer parse, Request.Builder b) throws IOException {
        char[] key = parse.masterKey();
        Request req = b.header("X-Parse-Application-Id", parse.appId()).header("X-Parse-Master-Key", new String(key))
                .build();
        Arrays.fill(key, '\0');
        try (Response r = http.newCall(req).execute()) {
            String text = r.body().string();
            assertThat(r.code()).as(text).isBetween(200, 201);
            return JSON.readTree(text);
        }
    }
}
