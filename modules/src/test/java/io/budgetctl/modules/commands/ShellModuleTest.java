package io.budgetctl.modules.commands;

import static io.budgetctl.modules.ModuleTestSupport.args;
import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellModuleTest {
    private final ShellModule shell = new ShellModule();

    @Test
    void runsThroughBinShSoPipesAndVariablesWork() {
        // when
        Result r = shell.run(ModuleTestSupport.local(), args("_raw_params", "X=41; echo $((X+1)) | tr 4 7; echo $0"));
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(r.data()).containsEntry("stdout", "72\n/bin/sh")
                .containsEntry("stdout_lines", List.of("72", "/bin/sh"))
                .containsEntry("cmd", "X=41; echo $((X+1)) | tr 4 7; echo $0");
    }

    @Test
    void executableReplacesBinSh() {
        Result r = shell.run(ModuleTestSupport.local(),
                args("_raw_params", "echo $0 ${BASH_VERSION:+is-bash}", "executable", "/bin/bash"));
        assertThat(r.data()).containsEntry("stdout", "/bin/bash is-bash");
    }

    @Test
    void nonZeroExitFailsAndKeepsBothStreams() {
        Result r = shell.run(ModuleTestSupport.local(), args("_raw_params", "echo hi; echo err >&2; exit 3"));
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).isEqualTo("non-zero return code");
        assertThat(r.data()).containsEntry("rc", 3).containsEntry("stdout", "hi").containsEntry("stderr", "err");
    }

    @Test
    void createsAndChdirApply(@TempDir Path dir) throws Exception {
        // given
        Files.createFile(dir.resolve("marker"));
        // when
        Result skipped = shell.run(ModuleTestSupport.local(),
                args("_raw_params", "echo x > out", "creates", "marker", "chdir", dir.toString()));
        Result ran = shell.run(ModuleTestSupport.local(),
                args("_raw_params", "echo x > out", "chdir", dir.toString()));
        // then
        assertThat(skipped.msg()).isEqualTo("Did not run command since 'marker' exists");
        assertThat(ran).isInstanceOf(Result.Changed.class);
        assertThat(ran.data()).containsEntry("cmd", "echo x > out");
        assertThat(Files.readString(dir.resolve("out"))).isEqualTo("x\n");
    }

    @Test
    void stdinReachesTheScript() {
        Result r = shell.run(ModuleTestSupport.local(), args("_raw_params", "read a; echo got:$a", "stdin", "v"));
        assertThat(r.data()).containsEntry("stdout", "got:v");
    }
}
