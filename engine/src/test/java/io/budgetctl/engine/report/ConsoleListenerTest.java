package io.budgetctl.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.HostStats;
import io.budgetctl.engine.event.PlayEvent;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.event.TaskEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The golden files compared here are ansible-playbook 2.14's own output (see capture-ansible.sh). */
class ConsoleListenerTest {

    private static String render(Consumer<RunListener> scenario, boolean color, int verbosity, boolean diff) {
        StringWriter sw = new StringWriter();
        scenario.accept(new ConsoleListener(new PrintWriter(sw), color, verbosity, diff));
        return sw.toString();
    }

    @Test
    void printsPlaysTasksLoopsFailuresAndRecapExactlyLikeAnsible() {
        // given the events of basic.yml / when rendered without colour
        String out = render(Scenarios::basic, false, 0, false);
        // then
        Golden.assertMatchesAnsible("console-basic.txt", out);
    }

    @Test
    void coloursLinesLikeAnsibleWithForceColor() {
        // given / when
        String out = render(Scenarios::basic, true, 0, false);
        // then
        Golden.assertMatchesAnsible("console-basic-color.txt", out);
    }

    @Test
    void printsResultJsonAtVerbosityOneLikeAnsible() {
        // given / when
        String out = render(Scenarios::verbose, false, 1, false);
        // then
        Golden.assertMatchesAnsible("console-verbose.txt", out);
    }

    @Test
    void printsUnifiedDiffsBeforeTheChangedLineLikeAnsible() {
        // given / when
        String out = render(Scenarios::diff, false, 0, true);
        // then
        Golden.assertMatchesAnsible("console-diff.txt", out);
    }

    @Test
    void coloursDiffLinesLikeAnsible() {
        // given / when
        String out = render(Scenarios::diff, true, 0, true);
        // then
        Golden.assertMatchesAnsible("console-diff-color.txt", out);
    }

    @Test
    void showsNoDiffWithoutTheDiffSwitch() {
        // given / when
        String out = render(Scenarios::diff, false, 0, false);
        // then
        assertThat(out).doesNotContain("--- before").contains("changed: [localhost]");
    }

    @Test
    void keepsAtLeastThreeStarsAfterALongBanner() {
        // given
        StringWriter sw = new StringWriter();
        ConsoleListener console = new ConsoleListener(new PrintWriter(sw), false, 0, false);
        String longName = "x".repeat(100);
        // when
        console.taskStart(new TaskEvent(longName, "ping", null, TaskEvent.Kind.TASK, SourceLocation.UNKNOWN));
        // then
        assertThat(sw.toString()).isEqualTo("\nTASK [" + longName + "] ***\n");
    }

    @Test
    void labelsDelegatedResultsWithTheTargetHost() {
        // given
        StringWriter sw = new StringWriter();
        ConsoleListener console = new ConsoleListener(new PrintWriter(sw), false, 0, false);
        TaskEvent task = new TaskEvent("dump db", "command", null, TaskEvent.Kind.TASK, SourceLocation.UNKNOWN);
        // when
        console.hostResult(new HostResultEvent("web1", task, Status.CHANGED, null, null, Map.of(), List.of(), false,
                "db1", Duration.ZERO));
        // then
        assertThat(sw.toString()).isEqualTo("changed: [web1 -> db1]\n");
    }

    @Test
    void printsSecretsMaskedInResultJson() {
        // given
        StringWriter sw = new StringWriter();
        ConsoleListener console = new ConsoleListener(new PrintWriter(sw), false, 1, false);
        TaskEvent task = new TaskEvent("login", "command", null, TaskEvent.Kind.TASK, SourceLocation.UNKNOWN);
        // when
        console.hostResult(new HostResultEvent("web1", task, Status.OK, null, null,
                Map.of("password", Secret.of("hunter2")), List.of(), false, null, Duration.ZERO));
        // then
        assertThat(sw.toString()).isEqualTo("ok: [web1] => {\"changed\": false, \"password\": \"********\"}\n");
    }

    @Test
    void printsEachWarningOnceWrappedAt79Columns() {
        // given
        StringWriter sw = new StringWriter();
        ConsoleListener console = new ConsoleListener(new PrintWriter(sw), false, 0, false);
        String msg = "the deploy lock on web1 is older than its expiry and was taken over by this run of budgetctl";
        // when
        console.warning(msg);
        console.warning(msg);
        // then
        // (expected text checked with Python's textwrap.wrap(msg, 79), which Ansible uses)
        assertThat(sw.toString()).isEqualTo("[WARNING]: the deploy lock on web1 is older than its expiry and was "
                + "taken over\nby this run of budgetctl\n");
    }

    @Test
    void printsAHostsWarningEachTimeUnlessTheRunPrintedItBefore() {
        // given
        StringWriter sw = new StringWriter();
        ConsoleListener console = new ConsoleListener(new PrintWriter(sw), false, 0, false);
        // when two hosts warn, then the run, then a host again (Ansible's worker knows the controller's warnings)
        console.hostWarning("web1", "first");
        console.hostWarning("web2", "first");
        console.warning("first");
        console.hostWarning("web1", "second");
        console.warning("second");
        console.hostWarning("web1", "second");
        // then
        assertThat(sw.toString()).isEqualTo("[WARNING]: first\n[WARNING]: first\n[WARNING]: first\n"
                + "[WARNING]: second\n[WARNING]: second\n");
    }

    @Test
    void prefixesTheRoleWhenTheTaskNameLacksIt() {
        // given
        StringWriter sw = new StringWriter();
        ConsoleListener console = new ConsoleListener(new PrintWriter(sw), false, 0, false);
        // when
        console.taskStart(new TaskEvent("pull images", "command", "compose-up", TaskEvent.Kind.TASK,
                SourceLocation.UNKNOWN));
        console.playStart(new PlayEvent(null, null, List.of(), false, SourceLocation.UNKNOWN));
        // then
        assertThat(sw.toString()).startsWith("\nTASK [compose-up : pull images] ***")
                .contains("\nPLAY ******");
    }

    @Test
    void aggregatesOfLoopsPrintNothingButIgnoringAndAllSkipped() {
        // given
        StringWriter sw = new StringWriter();
        ConsoleListener console = new ConsoleListener(new PrintWriter(sw), false, 0, false);
        TaskEvent task = new TaskEvent("t", "command", null, TaskEvent.Kind.TASK, SourceLocation.UNKNOWN);
        // when
        console.taskStart(task);
        console.hostResult(new HostResultEvent("h", task, Status.CHANGED, "a", null, Map.of(), List.of(), false, null,
                Duration.ZERO));
        console.hostResult(new HostResultEvent("h", task, Status.CHANGED, null, null, Map.of(), List.of(), false,
                null, Duration.ZERO));
        console.recap(Map.of("h", new HostStats(1, 1, 0, 0, 0, 0, 0)));
        // then
        assertThat(sw.toString()).contains("changed: [h] => (item=a)\n\nPLAY RECAP")
                .doesNotContain("changed: [h]\n");
    }

    private static String noLogDebugLoop(int verbosity) {
        StringWriter sw = new StringWriter();
        ConsoleListener console = new ConsoleListener(new PrintWriter(sw), false, verbosity, false);
        TaskEvent debug = new TaskEvent("debug", "debug", null, TaskEvent.Kind.TASK, SourceLocation.UNKNOWN);
        TaskEvent command = new TaskEvent("command", "command", null, TaskEvent.Kind.TASK, SourceLocation.UNKNOWN);
        String hidden = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";
        console.taskStart(debug);
        console.hostResult(new HostResultEvent("h", debug, Status.OK, "None", null, Map.of("censored", hidden),
                List.of(), false, null, Duration.ZERO));
        console.hostResult(new HostResultEvent("h", debug, Status.OK, null, null, Map.of("censored", hidden),
                List.of(), false, null, Duration.ZERO));
        console.taskStart(command);
        console.hostResult(new HostResultEvent("h", command, Status.CHANGED, "None", null,
                Map.of("censored", hidden, "changed", true), List.of(), false, null, Duration.ZERO));
        console.hostResult(new HostResultEvent("h", command, Status.CHANGED, null, null,
                Map.of("censored", hidden, "changed", true), List.of(), false, null, Duration.ZERO));
        return sw.toString();
    }

    @Test
    void noLogLoopsPrintBareItemsAndTheLoopLineAtDefaultVerbosityLikeAnsible() {
        // given: a no_log loop of debug and of command (ansible-playbook 2.14, ANSIBLE_NOCOLOR=1)
        // when
        String out = noLogDebugLoop(0);
        // then: the censored result drops debug's "always verbose", and the loop's results with it
        assertThat(out).endsWith("""
                TASK [debug] *******************************************************************
                ok: [h] => (item=None)
                ok: [h]

                TASK [command] *****************************************************************
                changed: [h] => (item=None)
                changed: [h]
                """);
    }

    @Test
    void noLogLoopsPrintTheCensoredResultOnOneLineAtVerbosityOneLikeAnsible() {
        // given / when
        String out = noLogDebugLoop(1);
        // then
        String hidden = "\"censored\": \"the output has been hidden due to the fact that 'no_log: true' was specified"
                + " for this result\"";
        assertThat(out).contains("ok: [h] => (item=None) => {" + hidden + "}\nok: [h] => {" + hidden + "}\n")
                .contains("changed: [h] => (item=None) => {" + hidden + ", \"changed\": true}\nchanged: [h] => {"
                        + hidden + ", \"changed\": true}\n");
    }
}
