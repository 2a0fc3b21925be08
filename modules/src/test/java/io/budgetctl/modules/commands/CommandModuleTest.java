package io.budgetctl.modules.commands;

import static io.budgetctl.modules.ModuleTestSupport.args;
import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandModuleTest {
    private final CommandModule command = new CommandModule();

    @Test
    void runsTheSplitArgvWithoutAShellAndReportsAnsiblesKeys() {
        // given
        Map<String, Object> a = args("_raw_params", "printf '%s|' 'a b' $HOME '*'");
        // when
        Result r = command.run(ModuleTestSupport.local(), a);
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(r.data()).containsEntry("rc", 0)
                .containsEntry("stdout", "a b|$HOME|*|")
                .containsEntry("stderr", "")
                .containsEntry("cmd", List.of("printf", "%s|", "a b", "$HOME", "*"))
                .containsEntry("stdout_lines", List.of("a b|$HOME|*|"))
                .containsEntry("msg", "");
        assertThat((String) r.data().get("start")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
        assertThat((String) r.data().get("delta")).matches("0:00:\\d\\d\\.\\d{6}");
    }

    @Test
    void nonZeroExitFailsWithAnsiblesMessageAndKeepsOutput() {
        // given
        Map<String, Object> a = args("argv", List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"));
        // when
        Result r = command.run(ModuleTestSupport.local(), a);
        // then
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).isEqualTo("non-zero return code");
        assertThat(r.data()).containsEntry("rc", 3).containsEntry("stdout", "out").containsEntry("stderr", "err")
                .containsEntry("stderr_lines", List.of("err"));
    }

    @Test
    void trailingNewlinesAreStrippedUnlessAskedNotTo() {
        Result stripped = command.run(ModuleTestSupport.local(), args("_raw_params", "printf 'a\\n\\n\\n'"));
        Result kept = command.run(ModuleTestSupport.local(),
                args("_raw_params", "printf 'a\\n\\n'", "strip_empty_ends", false));
        assertThat(stripped.data()).containsEntry("stdout", "a").containsEntry("stdout_lines", List.of("a"));
        assertThat(kept.data()).containsEntry("stdout", "a\n\n").containsEntry("stdout_lines", List.of("a", ""));
    }

    @Test
    void createsThatExistsSkipsTheCommandWithAnsiblesMessage(@TempDir Path dir) throws Exception {
        // given
        Path marker = Files.createFile(dir.resolve("done"));
        Path witness = dir.resolve("ran");
        // when
        Result r = command.run(ModuleTestSupport.local(),
                args("_raw_params", "touch " + witness, "creates", marker.toString()));
        // then
        assertThat(r).isInstanceOf(Result.Ok.class);
        assertThat(r.msg()).isEqualTo("Did not run command since '" + marker + "' exists");
        assertThat(r.data()).containsEntry("stdout", "skipped, since " + marker + " exists")
                .containsEntry("rc", 0).containsEntry("start", null).containsEntry("delta", null);
        assertThat(witness).doesNotExist();
    }

    @Test
    void createsWorksWithGlobsAndRelativeToChdir(@TempDir Path dir) throws Exception {
        // given
        Files.createFile(dir.resolve("app-1.2.tar"));
        // when
        Result r = command.run(ModuleTestSupport.local(),
                args("_raw_params", "touch ran", "chdir", dir.toString(), "creates", "app-*.tar"));
        // then
        assertThat(r).isInstanceOf(Result.Ok.class);
        assertThat(r.msg()).isEqualTo("Did not run command since 'app-*.tar' exists");
        assertThat(dir.resolve("ran")).doesNotExist();
    }

    @Test
    void optionWordsInTheRenderedTextAreArgumentsNotOptions(@TempDir Path dir) {
        // given: text that reached the module after templating (say, a host's answer), as Ansible hands it over
        String rendered = "echo hi creates=" + dir + " chdir=/nonexistent";
        // when
        Result r = command.run(ModuleTestSupport.local(), args("_raw_params", rendered));
        // then: it ran, and the words were its arguments
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(r.data()).containsEntry("stdout", "hi creates=" + dir + " chdir=/nonexistent");
    }

    @Test
    void createsThatIsMissingRunsTheCommand(@TempDir Path dir) {
        // when
        Result r = command.run(ModuleTestSupport.local(),
                args("_raw_params", "touch " + dir.resolve("made"), "creates", dir.resolve("made").toString()));
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(dir.resolve("made")).exists();
    }

    @Test
    void removesThatIsMissingSkipsTheCommand(@TempDir Path dir) {
        // when
        Result r = command.run(ModuleTestSupport.local(),
                args("_raw_params", "echo x", "removes", dir.resolve("gone").toString()));
        // then
        assertThat(r).isInstanceOf(Result.Ok.class);
        assertThat(r.msg()).isEqualTo("Did not run command since '" + dir.resolve("gone") + "' does not exist");
    }

    @Test
    void chdirRunsInThatDirectoryAndAMissingOneFails(@TempDir Path dir) throws Exception {
        Path spaced = Files.createDirectory(dir.resolve("with space"));
        Result r = command.run(ModuleTestSupport.local(), args("_raw_params", "pwd", "chdir", spaced.toString()));
        assertThat(r.data()).containsEntry("stdout", spaced.toRealPath().toString());

        Result missing = command.run(ModuleTestSupport.local(),
                args("_raw_params", "pwd", "chdir", dir.resolve("nope").toString()));
        assertThat(missing).isInstanceOf(Result.Failed.class);
        assertThat(missing.msg()).startsWith("Unable to change directory before execution: ");
    }

    @Test
    void stdinIsFedWithANewlineByDefault() {
        Result withNl = command.run(ModuleTestSupport.local(), args("argv", List.of("od", "-c"), "stdin", "hi"));
        Result without = command.run(ModuleTestSupport.local(),
                args("argv", List.of("wc", "-c"), "stdin", "hi", "stdin_add_newline", false));
        assertThat((String) withNl.data().get("stdout")).contains("h   i  \\n");
        assertThat(without.data().get("stdout").toString().strip()).isEqualTo("2");
    }

    @Test
    void inCheckModeAPlainCommandIsSkippedAndOneWithCreatesIsPredicted(@TempDir Path dir) {
        // given
        Path witness = dir.resolve("ran");
        // when
        Result plain = command.run(ModuleTestSupport.check(), args("_raw_params", "touch " + witness));
        Result predicted = command.run(ModuleTestSupport.check(),
                args("_raw_params", "touch " + witness, "creates", witness.toString()));
        Result notRun = command.run(ModuleTestSupport.check(),
                args("_raw_params", "touch " + witness, "creates", dir.toString()));
        // then
        assertThat(plain).isInstanceOf(Result.Skipped.class);
        assertThat(plain.msg()).isEqualTo("Command would have run if not in check mode");
        assertThat(predicted).isInstanceOf(Result.Changed.class);
        assertThat(predicted.msg()).isEqualTo("Command would have run if not in check mode");
        assertThat(notRun).isInstanceOf(Result.Ok.class);
        assertThat(notRun.msg()).isEqualTo("Would not run command since '" + dir + "' exists");
        assertThat(witness).doesNotExist();
    }

    @Test
    void argvAndAFreeFormStringTogetherAreRejected() {
        Result r = command.run(ModuleTestSupport.local(), args("_raw_params", "echo", "argv", List.of("echo")));
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).isEqualTo("only command or argv can be given, not both");
        Result none = command.run(ModuleTestSupport.local(), args());
        assertThat(none.msg()).isEqualTo("no command given");
    }

    @Test
    void aMissingProgramFailsWithoutThrowing() {
        Result r = command.run(ModuleTestSupport.local(), args("_raw_params", "/nonexistent/program --x"));
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.data().get("rc")).isNotEqualTo(0);
    }
}
