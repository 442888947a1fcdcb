package io.gemforce.sync.parse.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemforce.sync.InvalidInputException;
import io.gemforce.sync.SyncError;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.SyncSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The webhook answers in the seed's shapes: {@code syncDiamondEvents} a number unless {@code "summary": true}. */
class FunctionAnswerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String D = "0x00000000000000000000000000000000000000d1";
    private static final SyncSummary OK = new SyncSummary(1, 0, 7, 42, SyncStatus.SUCCESS, List.of());

    private static FunctionParams params(String function, String json) throws Exception {
        return FunctionParams.parse(function, JSON.readTree(json));
    }

    private static String answer(String function, String params, SyncSummary s) throws Exception {
        return JSON.writeValueAsString(FunctionAnswer.webhook(function, params(function, params), s));
    }

    @Test
    void syncDiamondEventsAnswersANumberByDefault() throws Exception {
        String events = "{\"network\":\"localhost\",\"diamondAddress\":\"" + D + "\"}";
        assertThat(answer(FunctionParams.SYNC_EVENTS, events, OK)).isEqualTo("{\"success\":7}");
        JsonNode result = FunctionAnswer.webhook(FunctionParams.SYNC_EVENTS, params(FunctionParams.SYNC_EVENTS, events), OK)
                .get("success");
        assertThat(result.isNumber()).isTrue();
        SyncSummary partial = new SyncSummary(1, 0, 3, 40, SyncStatus.PARTIAL,
                List.of(new SyncError("TIME_BUDGET", null, null, "time budget")));
        assertThat(answer(FunctionParams.SYNC_EVENTS, events, partial)).isEqualTo("{\"success\":3}");
    }

    @Test
    void syncDiamondEventsAnswersTheObjectWhenAskedForTheSummary() throws Exception {
        String events = "{\"network\":\"localhost\",\"diamondAddress\":\"" + D + "\",\"summary\":true}";
        assertThat(answer(FunctionParams.SYNC_EVENTS, events, OK))
                .isEqualTo("{\"success\":{\"eventsIndexed\":7,\"lastSyncedBlock\":42,\"status\":\"success\",\"errors\":[]}}");
        assertThat(answer(FunctionParams.SYNC_EVENTS, events.replace("true", "false"), OK)).isEqualTo("{\"success\":7}");
    }

    @Test
    void aFailedRunIsAnErrorWhenTheAnswerWouldBeANumber() throws Exception {
        SyncSummary failed = new SyncSummary(0, 0, 0, -1, SyncStatus.FAILED,
                List.of(new SyncError("CHAIN_UNAVAILABLE", D, null, "node unreachable")));
        String events = "{\"network\":\"localhost\",\"diamondAddress\":\"" + D + "\"}";
        assertThat(answer(FunctionParams.SYNC_EVENTS, events, failed))
                .isEqualTo("{\"error\":\"CHAIN_UNAVAILABLE: node unreachable\"}");
        assertThat(answer(FunctionParams.SYNC_EVENTS, events.replace("}", ",\"summary\":true}"), failed))
                .startsWith("{\"success\":{\"eventsIndexed\":0,").contains("\"status\":\"failed\"");
    }

    @Test
    void theOtherFunctionsAnswerTheWholeSummaryAndRefuseTheSummaryParameter() throws Exception {
        assertThat(answer(FunctionParams.SYNC_ALL, "{\"network\":\"localhost\"}", OK)).isEqualTo("{\"success\":" + OK.toJson() + "}");
        assertThat(answer(FunctionParams.SYNC_DIAMOND, "{\"network\":\"localhost\",\"diamondAddress\":\"" + D + "\"}", OK))
                .isEqualTo("{\"success\":" + OK.toJson() + "}");
        assertThatThrownBy(() -> params(FunctionParams.SYNC_ALL, "{\"network\":\"localhost\",\"summary\":true}"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("unknown parameter 'summary'");
        assertThatThrownBy(() -> params(FunctionParams.SYNC_EVENTS,
                "{\"network\":\"localhost\",\"diamondAddress\":\"" + D + "\",\"summary\":\"yes\"}"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("summary must be true or false");
    }
}
