package io.gemforce.sync.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.SinkException;
import io.gemforce.sync.sink.ChangeSet;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Schema bootstrap and migration through {@code /schemas}. */
@ExtendWith(ParseServerExtension.class)
class ParseSchemaIT {
    private static ParseTestServer server;
    private static ParseClient client;

    @BeforeAll
    static void start(ParseTestServer s) {
        server = s;
        client = s.newClient();
        ParseSchema.ensure(client);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @AfterEach
    void restore() {
        // leave the complete schema behind for the other test classes of this JVM
        ParseSchema.ensure(client);
    }

    private static List<JsonNode> ownSchemas() {
        List<JsonNode> out = new ArrayList<>();
        for (ParseSchema.ClassDef d : ParseSchema.classes()) {
            out.add(client.schema(d.className()).orElseThrow());
        }
        return out;
    }

    private static void recreate(String cls, String... nameType) {
        server.purgeSinkClasses();
        client.deleteSchema(cls);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode f = body.putObject("fields");
        for (int i = 0; i < nameType.length; i += 2) {
            f.putObject(nameType[i]).put("type", nameType[i + 1]);
        }
        client.createSchema(cls, body);
    }

    @Test
    void bootstrappingTwiceChangesNothing() {
        List<JsonNode> before = ownSchemas();
        ParseSchema.Changes again = ParseSchema.ensure(client);
        assertThat(again.isEmpty()).isTrue();
        assertThat(ownSchemas()).isEqualTo(before);
        for (ParseSchema.ClassDef d : ParseSchema.classes()) {
            JsonNode s = client.schema(d.className()).orElseThrow();
            d.fields().forEach((name, type) -> assertThat(s.path("fields").path(name).path("type").asText())
                    .as("%s.%s", d.className(), name).isEqualTo(type.path("type").asText()));
            d.indexes().keySet().forEach(ix -> assertThat(s.path("indexes").has(ix)).as("index %s", ix).isTrue());
        }
    }

    @Test
    void aClassMissingFieldsAndIndexesIsMigrated() {
        recreate(ParseSchema.SYNC_STATE, "network", "String", "chainId", "Number", "scope", "String");

        ParseSchema.Changes changes = ParseSchema.ensure(client);
        assertThat(changes.classesCreated()).isEmpty();
        assertThat(changes.fieldsAdded()).containsOnlyKeys(ParseSchema.SYNC_STATE);
        assertThat(changes.fieldsAdded().get(ParseSchema.SYNC_STATE))
                .containsExactly("lastSyncedBlock", "lastSyncedBlockHash", "recent");
        assertThat(changes.indexesAdded().get(ParseSchema.SYNC_STATE)).containsExactly("chainId_scope");
        assertThat(ParseSchema.ensure(client).isEmpty()).isTrue();

        ParseStateSink sink = ParseStateSink.builder(client).build();
        ChangeSet cs = SinkFixtures.range(SinkFixtures.CHAIN_A, 1, 2);
        sink.apply(cs);
        assertThat(sink.checkpoint(SinkFixtures.CHAIN_A, "all")).contains(cs.checkpoints().get(0));
    }

    @Test
    void aFieldOfAnotherTypeFailsWithAClearMessage() {
        recreate(ParseSchema.SYNC_STATE, "recent", "String");
        assertThatThrownBy(() -> ParseSchema.ensure(client)).isInstanceOf(SinkException.class)
                .hasMessageContaining("SyncState").hasMessageContaining("recent").hasMessageContaining("Array");
        client.deleteSchema(ParseSchema.SYNC_STATE);
    }

    @Test
    void classesArePublicToReadAndWritableWithTheMasterKeyOnly() throws Exception {
        ObjectMapper m = new ObjectMapper();
        OkHttpClient plain = new OkHttpClient();
        try {
            Request write = new Request.Builder().url(server.serverUrl() + "/classes/" + ParseSchema.DIAMOND)
                    .header("X-Parse-Application-Id", server.appId())
                    .post(RequestBody.create("{\"chainId\":1}", MediaType.get("application/json"))).build();
            try (Response r = plain.newCall(write).execute()) {
                assertThat(r.code()).isEqualTo(400);
                assertThat(m.readTree(r.body().string()).path("code").asInt())
                        .isEqualTo(ParseException.OPERATION_FORBIDDEN);
            }
            Request read = new Request.Builder().url(server.serverUrl() + "/classes/" + ParseSchema.DIAMOND)
                    .header("X-Parse-Application-Id", server.appId()).get().build();
            try (Response r = plain.newCall(read).execute()) {
                assertThat(r.code()).isEqualTo(200);
            }
        } finally {
            plain.dispatcher().executorService().shutdown();
            plain.connectionPool().evictAll();
        }
    }
}
