package io.budgetctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.report.ConsoleListener;
import io.budgetctl.engine.report.JUnitListener;
import io.budgetctl.engine.report.JsonLinesListener;
import io.budgetctl.engine.run.RunRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out), new PrintWriter(err), new Terminal(false), args);
    }

    /** Runs with one extra subcommand, to drive the error handling the real commands share. */
    private int runWith(Object extra, String... args) {
        CommandLine cl = new CommandLine(new BudgetctlCommand(new Terminal(false)));
        cl.addSubcommand(extra);
        return Main.execute(Main.configure(cl, new PrintWriter(out), new PrintWriter(err), new Terminal(false)), args);
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new EngineException(new SourceLocation("deploy.yml", 12, 5), "unknown module 'copyy'",
                    "did you mean 'copy'?");
        }
    }

    @Command(name = "bug")
    static final class Bug implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("executor lost track of host web1");
        }
    }

    /** The real `run` options without the engine call, to check what they turn into. */
    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @Mixin
        RunOptions options;
        @Spec
        CommandSpec spec;
        RunRequest request;
        List<RunListener> listeners;

        @Override
        public Integer call() {
            request = options.toRequest(spec);
            listeners = options.listeners(spec.commandLine().getOut(), false);
            return 0;
        }
    }

    @Test
    void helpListsSubcommandsOptionsAndExitCodes() {
        // when
        int code = run("--help");
        // then
        assertThat(code).isZero();
        assertThat(out.toString())
                .contains("Usage: budgetctl")
                .contains("--debug")
                .contains("--version")
                .contains("Exit codes:")
                .contains(" 0   success")
                .contains(" 2   one or more hosts failed")
                .contains(" 4   one or more hosts were unreachable")
                .contains(" 5   bad command line options")
                .contains("99   interrupted")
                .contains("NO_COLOR");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void noArgumentsShowsHelp() {
        // when
        int code = run();
        // then
        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: budgetctl");
    }

    @Test
    void versionPrintsTheProjectVersion() {
        // when
        int code = run("--version");
        // then
        assertThat(code).isZero();
        assertThat(out.toString()).matches("(?s)budgetctl \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\nJava .*");
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitCode5() {
        // when
        int code = run("--bogus");
        // then
        assertThat(code).isEqualTo(5);
        assertThat(err.toString()).startsWith("ERROR! Unknown option: '--bogus'")
                .contains("Try 'budgetctl --help' for more information.");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void unknownSubcommandSuggestsTheClosestOne() {
        // when
        int code = runWith(new Boom(), "bom");
        // then
        assertThat(code).isEqualTo(5);
        assertThat(err.toString()).contains("Unmatched argument at index 0: 'bom'").contains("boom");
    }

    @Test
    void engineExceptionPrintsOneLineAndHintWithoutStackTrace() {
        // when
        int code = runWith(new Boom(), "boom");
        // then
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo(
                "ERROR! deploy.yml:12:5: unknown module 'copyy'\n  hint: did you mean 'copy'?\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void debugAddsTheStackTrace() {
        // when
        int code = runWith(new Boom(), "boom", "--debug");
        // then
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("ERROR! deploy.yml:12:5: unknown module 'copyy'\n")
                .contains("io.budgetctl.engine.api.EngineException: unknown module 'copyy'")
                .contains("\tat io.budgetctl.cli.MainTest$Boom.call");
    }

    @Test
    void debugBeforeTheSubcommandWorksToo() {
        // when
        int code = runWith(new Boom(), "--debug", "boom");
        // then
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("\tat io.budgetctl.cli.MainTest$Boom.call");
    }

    @Test
    void unexpectedExceptionIsReportedAsABugWithoutStackTrace() {
        // when
        int code = runWith(new Bug(), "bug");
        // then
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("ERROR! unexpected IllegalStateException: executor lost track of host "
                + "web1\n  hint: this is a bug in budgetctl; run again with --debug and report the stack trace\n");
    }

    @Test
    void runOptionsBecomeARunRequest() {
        // given
        Probe probe = new Probe();
        // when
        int code = runWith(probe, "probe", "site.yml", "more.yml", "-i", "inv/a.yml", "-i", "inv/b.yml",
                "-l", "web*", "-e", "version=1.2", "-e", "@vars.yml", "-C", "--diff", "-t", "deploy,migrate",
                "--skip-tags", "slow", "-f", "10", "--start-at-task", "pull images", "-vvv");
        // then
        assertThat(code).isZero();
        assertThat(probe.request).isEqualTo(RunRequest.builder().playbook(Path.of("site.yml")).playbook(Path.of("more.yml"))
                .inventory(Path.of("inv/a.yml")).inventory(Path.of("inv/b.yml")).limit("web*")
                .extraVars(List.of("version=1.2", "@vars.yml")).check(true).diff(true)
                .tags(List.of("deploy", "migrate")).skipTags(List.of("slow")).forks(10).startAtTask("pull images")
                .verbosity(3).build());
    }

    @Test
    void anExtraVarsFileThatExistsReachesTheEngineAsAnsibleWouldReadIt(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        // given an existing vars file (picocli would otherwise expand "@file" into its lines as arguments)
        Path vars = java.nio.file.Files.writeString(dir.resolve("vars.yml"), "version: v1.4.0\n");
        Probe probe = new Probe();
        // when
        int code = runWith(probe, "probe", "site.yml", "-e", "@" + vars);
        // then
        assertThat(code).isZero();
        assertThat(probe.request.extraVars()).containsExactly("@" + vars);
    }

    @Test
    void runDefaultsToFiveForksAndHumanOutput() {
        // given
        Probe probe = new Probe();
        // when
        runWith(probe, "probe", "site.yml");
        // then
        assertThat(probe.request.forks()).isEqualTo(5);
        assertThat(probe.request.verbosity()).isZero();
        assertThat(probe.listeners).singleElement().isInstanceOf(ConsoleListener.class);
    }

    @Test
    void outputJsonSelectsJsonLinesAndJunitAddsTheXmlReport() {
        // given
        Probe probe = new Probe();
        // when
        runWith(probe, "probe", "site.yml", "--output", "JSON", "--junit", "target/junit.xml");
        // then
        assertThat(probe.listeners).hasSize(2);
        assertThat(probe.listeners.get(0)).isInstanceOf(JsonLinesListener.class);
        assertThat(probe.listeners.get(1)).isInstanceOf(JUnitListener.class);
    }

    @Test
    void badOutputFormatAndZeroForksAreUsageErrors() {
        // when
        int badFormat = runWith(new Probe(), "probe", "site.yml", "--output", "xml");
        int zeroForks = runWith(new Probe(), "probe", "site.yml", "-f", "0");
        int noPlaybook = runWith(new Probe(), "probe");
        // then
        assertThat(badFormat).isEqualTo(5);
        assertThat(zeroForks).isEqualTo(5);
        assertThat(noPlaybook).isEqualTo(5);
        assertThat(err.toString()).contains("expected one of [human, json]")
                .contains("--forks must be at least 1, got 0")
                .contains("Missing required parameter: 'PLAYBOOK'");
    }

    @Test
    void colourFollowsTheTerminalUnlessNoColorOrForced() {
        // then
        assertThat(Terminal.detect(Map.of(), true).color()).isTrue();
        assertThat(Terminal.detect(Map.of(), false).color()).isFalse();
        assertThat(Terminal.detect(Map.of("NO_COLOR", "1"), true).color()).isFalse();
        assertThat(Terminal.detect(Map.of("NO_COLOR", ""), true).color()).isTrue();
        assertThat(Terminal.detect(Map.of("BUDGETCTL_FORCE_COLOR", "1"), false).color()).isTrue();
        assertThat(Terminal.detect(Map.of("BUDGETCTL_FORCE_COLOR", "0"), false).color()).isFalse();
        assertThat(Terminal.detect(Map.of("BUDGETCTL_FORCE_COLOR", "1", "NO_COLOR", "1"), false).color()).isTrue();
    }

    @Test
    void errorsAreRedOnlyWithColour() {
        // given
        CommandLine cl = new CommandLine(new BudgetctlCommand(new Terminal(true)));
        cl.addSubcommand(new Boom());
        // when
        Main.execute(Main.configure(cl, new PrintWriter(out), new PrintWriter(err), new Terminal(true)), "boom");
        // then
        assertThat(err.toString()).startsWith("\033[31m\033[1mERROR! deploy.yml:12:5");
    }
}
