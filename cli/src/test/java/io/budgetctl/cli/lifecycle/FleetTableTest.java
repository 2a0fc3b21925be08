package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.lifecycle.fleet.JournalEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live table of fleet apply: what each redraw shows and that it replaces exactly the previous one. */
class FleetTableTest {
    @TempDir
    Path tmp;

    private final StringWriter screen = new StringWriter();
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final Map<String, String> steps = new HashMap<>();
    private final FleetTable table = new FleetTable(new PrintWriter(screen, true), 120, clock::get, steps::get);

    private static JournalEvent event(String event, String customer, Integer wave, String state, String reason,
                                      Double seconds) {
        return new JournalEvent("2026-12-06T18:00:00Z", "r1", "ivan@itbm-vendor.example", event, customer, wave,
                null, state, reason, null, seconds, null, null, null, null);
    }

    private static JournalEvent start(List<List<String>> waves) {
        List<JournalEvent.WaveEntry> w = new ArrayList<>();
        for (int i = 0; i < waves.size(); i++) {
            w.add(new JournalEvent.WaveEntry("w" + (i + 1), waves.get(i)));
        }
        return new JournalEvent("2026-12-06T18:00:00Z", "r1", "ivan@itbm-vendor.example", JournalEvent.RUN_START,
                null, null, null, null, null, null, null, "apply", "--all", w, Map.of());
    }

    private String row(String customer) {
        return table.render().stream().filter(l -> l.startsWith(customer + " ")).findFirst().orElseThrow();
    }

    @Test
    void givenARunningWave_whenDrawn_thenEachCustomerHasItsWaveStateStepAndElapsedTime() {
        // given
        table.event(start(List.of(List.of("acme", "beta"), List.of("gamma"))));
        table.event(event(JournalEvent.CUSTOMER, "acme", 1, "running", null, null));
        steps.put("acme", "migrate : apply the migrations");
        clock.addAndGet(75_000);
        table.event(event(JournalEvent.CUSTOMER, "beta", 1, "failed", "health gate: backend unhealthy", 42.4));

        // then
        assertThat(table.render().get(0)).isEqualTo(
                "fleet run r1 | 1:15 | 1 running 1 failed 1 queued | --all by ivan@itbm-vendor.example");
        assertThat(table.render().get(1)).containsPattern("CUSTOMER +WAVE +STATE +STEP +ELAPSED +RESULT");
        assertThat(row("acme")).containsPattern("acme +1 +RUNNING +migrate : apply the migrations +1:15 *$");
        assertThat(row("beta")).containsPattern("beta +1 +FAILED +0:42 +health gate: backend unhealthy$");
        assertThat(row("gamma")).containsPattern("gamma +2 +QUEUED *$");

        // and when acme finishes: no step, its own time, ok
        table.event(event(JournalEvent.CUSTOMER, "acme", 1, "done", null, 80.0));
        assertThat(row("acme")).containsPattern("acme +1 +DONE +1:20 +ok$");
    }

    @Test
    void givenATableOnTheScreen_whenRedrawn_thenTheCursorGoesBackOverExactlyTheLinesDrawnBefore() {
        // given
        table.event(start(List.of(List.of("acme", "beta"))));
        String first = screen.toString();
        int lines = first.split("\n", -1).length - 1;
        screen.getBuffer().setLength(0);

        // when
        table.event(event(JournalEvent.BUDGET_EXCEEDED, null, null, null, "2 failed, budget 1", null));

        // then: up over the 4 lines (title, header, two rows), clear, the new table with the note under it
        assertThat(first).doesNotContain("\u001B[");
        assertThat(lines).isEqualTo(4);
        assertThat(screen.toString()).startsWith("\r\u001B[4A\u001B[J")
                .contains("FAILURE BUDGET EXCEEDED: 2 failed, budget 1").endsWith("\n");
        screen.getBuffer().setLength(0);
        table.close();
        assertThat(screen.toString()).startsWith("\r\u001B[5A\u001B[J");
    }

    @Test
    void givenHostTextWithEscapesAndNewlines_whenShown_thenOnlyPrintableCharactersReachTheTerminal() {
        // given: a failure reason and a task name a hostile server could have put in the deploy's output
        table.event(start(List.of(List.of("acme", "beta"))));
        steps.put("acme", "x\u001B[2J\u001B]0;owned\u0007y");
        table.event(event(JournalEvent.CUSTOMER, "acme", 1, "running", null, null));
        table.event(event(JournalEvent.CUSTOMER, "beta", 1, "failed", "boom\r\n\u001B[31mred\u202Eevil", 3.0));

        // then
        String all = String.join("\n", table.render());
        assertThat(all).doesNotContain("\u001B", "\u0007", "\r", "\u202E");
        assertThat(row("beta")).endsWith("boom   [31mred evil");
        assertThat(table.render()).allSatisfy(l -> assertThat(l).doesNotContain("\n"));
    }

    @Test
    void givenSixtyCustomers_whenDrawn_thenAtMostThirtyRowsAndTheRestCountedOnOneLine() {
        // given
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            ids.add(String.format("c%02d", i));
        }
        table.event(start(List.of(ids)));
        for (int i = 1; i <= 40; i++) {
            table.event(event(JournalEvent.CUSTOMER, String.format("c%02d", i), 1, "done", null, 5.0));
        }
        table.event(event(JournalEvent.CUSTOMER, "c03", 1, "failed", "unreachable", 1.0));
        table.event(event(JournalEvent.CUSTOMER, "c41", 1, "running", null, null));

        // when
        List<String> lines = table.render();

        // then: the failed and running ones and the queued first; the done ones counted
        List<String> rows = lines.subList(2, lines.size() - 1);
        assertThat(rows).hasSize(FleetTable.MAX_ROWS - 1);
        assertThat(String.join("\n", rows)).contains("c03 ", "c41 ", "c60 ");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("... 31 more: 31 done");
    }

    @Test
    void givenALongReason_whenDrawn_thenNoLineIsWiderThanTheTerminal() {
        FleetTable narrow = new FleetTable(new PrintWriter(new StringWriter()), 80, clock::get, id -> null);
        narrow.event(start(List.of(List.of("acme"))));
        narrow.event(event(JournalEvent.CUSTOMER, "acme", 1, "failed", "x".repeat(500), 1.0));
        assertThat(narrow.render()).allSatisfy(l -> assertThat(l.length()).isLessThan(80));
    }

    @Test
    void givenADeployLog_whenItsStepIsAsked_thenTheLastTaskBannerIsIt() throws IOException {
        // given
        Path log = tmp.resolve("acme.log");
        Files.writeString(log, "=== budgetctl deploy --client acme\n\nPLAY [deploy] ****\n\n"
                + "TASK [deploy-lock : take the lock] *****\nok: [acme]\n\n"
                + "\u001B[0;32mTASK [migrate : apply the migrations] ******\u001B[0m\n"
                + "changed: [acme] => {\"stdout\": \"TASK [not from the engine]\"}\n");

        // then
        assertThat(FleetTable.lastTask(log)).isEqualTo("migrate : apply the migrations");
        assertThat(FleetTable.lastTask(tmp.resolve("missing.log"))).isNull();
    }

    @Test
    void givenTheTerminalAndTheEnvironment_whenTheOutputIsChosen_thenTheTableIsForPeopleAtATerminalOnly() {
        assertThat(FleetRunOptions.live(null, false, true, Map.of("TERM", "xterm"))).isTrue();
        assertThat(FleetRunOptions.live(null, false, false, Map.of())).isFalse();
        assertThat(FleetRunOptions.live(null, false, true, Map.of("CI", "true"))).isFalse();
        assertThat(FleetRunOptions.live(null, false, true, Map.of("TERM", "dumb"))).isFalse();
        assertThat(FleetRunOptions.live(null, true, true, Map.of())).isFalse();
        assertThat(FleetRunOptions.live(Boolean.TRUE, true, true, Map.of())).isFalse();
        assertThat(FleetRunOptions.live(Boolean.TRUE, false, false, Map.of("CI", "1"))).isTrue();
        assertThat(FleetRunOptions.live(Boolean.FALSE, false, true, Map.of())).isFalse();
    }

    @Test
    void givenLongRuns_whenElapsedIsShown_thenMinutesAndHours() {
        assertThat(FleetTable.elapsed(0)).isEqualTo("0:00");
        assertThat(FleetTable.elapsed(75.4)).isEqualTo("1:15");
        assertThat(FleetTable.elapsed(3725)).isEqualTo("1:02:05");
    }
}
