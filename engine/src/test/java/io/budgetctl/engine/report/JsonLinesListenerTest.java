package io.budgetctl.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.event.TaskEvent;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLinesListenerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesOneJsonObjectPerEventMatchingTheGoldenFile() {
        // given
        StringWriter sw = new StringWriter();
        // when
        Scenarios.basic(new JsonLinesListener(sw));
        // then
        Golden.assertMatches("events-basic.jsonl", sw.toString());
    }

    @Test
    void emitsTheDocumentedEventSequenceWithHostResultFields() throws Exception {
        // given
        StringWriter sw = new StringWriter();
        // when
        Scenarios.basic(new JsonLinesListener(sw));
        // then
        List<JsonNode> events = new ArrayList<>();
        for (String line : sw.toString().split("\n")) {
            events.add(JSON.readTree(line));
        }
        assertThat(events.get(0).get("event").asText()).isEqualTo("playbook_start");
        assertThat(events.get(1).get("event").asText()).isEqualTo("play_start");
        assertThat(events.get(events.size() - 2).get("event").asText()).isEqualTo("recap");
        JsonNode end = events.get(events.size() - 1);
        assertThat(end.get("event").asText()).isEqualTo("playbook_end");
        assertThat(end.get("exit_code").asInt()).isEqualTo(4);
        JsonNode unreachable = events.stream()
                .filter(e -> e.get("event").asText().equals("host_result") && e.get("status").asText()
                        .equals("unreachable")).findFirst().orElseThrow();
        assertThat(unreachable.get("host").asText()).isEqualTo("db1");
        assertThat(unreachable.get("task").asText()).isEqualTo("reach host");
        assertThat(unreachable.has("duration_ms")).isTrue();
        assertThat(unreachable.get("item").isNull()).isTrue();
        assertThat(events.get(events.size() - 2).at("/hosts/localhost/ignored").asInt()).isEqualTo(2);
    }

    @Test
    void masksSecretsInData() throws Exception {
        // given
        StringWriter sw = new StringWriter();
        JsonLinesListener listener = new JsonLinesListener(sw);
        TaskEvent task = new TaskEvent("login", "command", null, TaskEvent.Kind.TASK, SourceLocation.UNKNOWN);
        // when
        listener.hostResult(new HostResultEvent("web1", task, Status.OK, null, null,
                Map.of("password", Secret.of("hunter2")), List.of(), false, null, Duration.ofMillis(3)));
        // then
        assertThat(sw.toString()).doesNotContain("hunter2");
        assertThat(JSON.readTree(sw.toString()).at("/data/password").asText()).isEqualTo(Secret.MASK);
    }
}
