package io.budgetctl.lifecycle.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path state;

    private static JournalEvent line(String customer, CustomerState s) {
        return JournalEvent.of("2026-12-02T12:00:00Z", "r1", "ops", JournalEvent.CUSTOMER)
                .customer(customer, 1, s, s == CustomerState.FAILED ? "health gate" : null, null, null);
    }

    @Test
    void givenAppendedEvents_whenRead_thenTheyComeBackInOrderOneJsonObjectPerLine() throws Exception {
        // given
        try (Journal j = Journal.create(state, "r1")) {
            j.append(line("a", CustomerState.RUNNING));
            j.append(line("a", CustomerState.FAILED));
        }

        // when
        Journal.Contents c = Journal.read(Journal.path(state, "r1"));

        // then
        assertThat(c.tornTail()).isFalse();
        assertThat(c.events()).extracting(JournalEvent::customerState)
                .containsExactly(CustomerState.RUNNING, CustomerState.FAILED);
        assertThat(Files.readAllLines(Journal.path(state, "r1"))).last().asString().isEqualTo(
                "{\"ts\":\"2026-12-02T12:00:00Z\",\"run\":\"r1\",\"operator\":\"ops\",\"event\":\"customer\","
                        + "\"customer\":\"a\",\"wave\":1,\"state\":\"failed\",\"reason\":\"health gate\"}");
    }

    @Test
    void givenABrokenLineInTheMiddle_whenRead_thenTheErrorNamesFileAndLine() throws Exception {
        // given
        Path f = Journal.path(state, "r1");
        Files.writeString(f, "{\"event\":\"run_start\",\"run\":\"r1\"}\n{oops\n{\"event\":\"run_end\"}\n",
                StandardCharsets.UTF_8);

        // then
        assertThatThrownBy(() -> Journal.read(f)).isInstanceOf(EngineException.class)
                .satisfies(e -> assertThat(((EngineException) e).oneLine()).startsWith(f + ":2:1: not a fleet journal line"));
    }

    @Test
    void givenATornLastLine_whenReopened_thenItIsCutOffAndTheNextLineStartsClean() throws Exception {
        // given
        try (Journal j = Journal.create(state, "r1")) {
            j.append(line("a", CustomerState.RUNNING));
        }
        Path f = Journal.path(state, "r1");
        Files.writeString(f, "{\"ts\":\"2026-12-02T12:0", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        assertThat(Journal.read(f).tornTail()).isTrue();

        // when
        try (Journal j = Journal.reopen(state, "r1")) {
            j.append(line("a", CustomerState.INTERRUPTED));
        }

        // then
        Journal.Contents c = Journal.read(f);
        assertThat(c.tornTail()).isFalse();
        assertThat(c.events()).extracting(JournalEvent::state).containsExactly("running", "interrupted");
    }

    @Test
    void givenAnExistingRunId_whenCreatedAgain_thenItPointsToResume() throws Exception {
        Journal.create(state, "r1").close();
        assertThatThrownBy(() -> Journal.create(state, "r1")).isInstanceOf(EngineException.class)
                .extracting(e -> ((EngineException) e).hint()).isEqualTo("use 'budgetctl fleet resume r1' to continue it");
        assertThatThrownBy(() -> Journal.reopen(state, "nope")).hasMessageContaining("no fleet run 'nope'");
    }

    @Test
    void givenOptions_whenRecordedAndReadBack_thenResumeContinuesWithTheSameOnes() {
        FleetOptions o = FleetOptions.defaults().withParallel(4).withBudget(FailureBudget.parse("5%"))
                .withPause(java.time.Duration.ofMinutes(15)).withWindows(FleetOptions.WindowPolicy.WAIT);
        assertThat(FleetOptions.fromMap(o.toMap())).isEqualTo(o);
        assertThat(List.of(o.toMap().get("windows"))).containsExactly("wait");
    }
}
