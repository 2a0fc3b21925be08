package io.budgetctl.modules.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineinfileModuleTest {
    @TempDir
    Path dir;

    private final FileModuleTestKit kit = new FileModuleTestKit(new LineinfileModule(), null);

    @Test
    void regexpReplacesTheLastMatchThenIsOk() throws Exception {
        // given
        Path f = Files.writeString(dir.resolve("sshd_config"), "Port 22\n#PermitRootLogin yes\nPermitRootLogin yes\n");
        // when
        Result first = kit.run("path", f.toString(), "regexp", "^#?PermitRootLogin", "line", "PermitRootLogin no");
        Result second = kit.run("path", f.toString(), "regexp", "^#?PermitRootLogin", "line", "PermitRootLogin no");
        // then
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(first.msg()).isEqualTo("line replaced");
        assertThat(FileModuleTestKit.read(f)).isEqualTo("Port 22\n#PermitRootLogin yes\nPermitRootLogin no\n");
        assertThat(second).isInstanceOf(Result.Ok.class);
        assertThat(second.data()).containsEntry("backup", "");
    }

    @Test
    void lineIsAppendedAfterAMissingFinalNewline() throws Exception {
        Path f = Files.writeString(dir.resolve("a"), "one");
        Result r = kit.run("path", f.toString(), "line", "two");
        assertThat(r.msg()).isEqualTo("line added");
        assertThat(FileModuleTestKit.read(f)).isEqualTo("one\ntwo\n");
    }

    @Test
    void insertAfterAndBeforeAndBof() throws Exception {
        // given
        Path f = Files.writeString(dir.resolve("a"), "[main]\nx=1\n[other]\n");
        // when
        kit.run("path", f.toString(), "line", "y=2", "insertafter", "^\\[main\\]");
        kit.run("path", f.toString(), "line", "# head", "insertbefore", "BOF");
        kit.run("path", f.toString(), "line", "z=3", "insertbefore", "^\\[other\\]");
        Result again = kit.run("path", f.toString(), "line", "y=2", "insertafter", "^\\[main\\]");
        // then
        assertThat(FileModuleTestKit.read(f)).isEqualTo("# head\n[main]\ny=2\nx=1\nz=3\n[other]\n");
        assertThat(again).isInstanceOf(Result.Ok.class);
    }

    @Test
    void backrefsUsePythonSyntaxAndDoNothingWithoutMatch() throws Exception {
        // given
        Path f = Files.writeString(dir.resolve("a"), "listen 80;\n");
        // when
        Result r = kit.run("path", f.toString(), "regexp", "^listen (\\d+);", "line", "listen \\1 ssl;",
                "backrefs", true);
        Result none = kit.run("path", f.toString(), "regexp", "^nomatch", "line", "x", "backrefs", true);
        // then
        assertThat(FileModuleTestKit.read(f)).isEqualTo("listen 80 ssl;\n");
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(none).isInstanceOf(Result.Ok.class);
    }

    @Test
    void absentRemovesAllMatchesAndCounts() throws Exception {
        Path f = Files.writeString(dir.resolve("a"), "a\nb\na\n");
        Result r = kit.run("path", f.toString(), "line", "a", "state", "absent");
        assertThat(r.msg()).isEqualTo("2 line(s) removed");
        assertThat(r.data()).containsEntry("found", 2);
        assertThat(FileModuleTestKit.read(f)).isEqualTo("b\n");
    }

    @Test
    void checkModeAndDiff() throws Exception {
        // given
        Path f = Files.writeString(dir.resolve("a"), "a\n");
        // when
        Result r = kit.check("path", f.toString(), "line", "b");
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(r.diffs()).containsExactly(new Result.Diff(f.toString(), "a\n", "a\nb\n"));
        assertThat(FileModuleTestKit.read(f)).isEqualTo("a\n");
    }

    @Test
    void createMakesTheFileWithModeAndMissingFileFailsOtherwise() throws Exception {
        // given
        Path f = dir.resolve("new/conf");
        // when
        Result missing = kit.run("path", f.toString(), "line", "a");
        Result created = kit.run("path", f.toString(), "line", "a", "create", true, "mode", "0600");
        // then
        assertThat(missing.msg()).isEqualTo("Destination " + f + " does not exist !");
        assertThat(missing.data()).containsEntry("rc", 257);
        assertThat(created).isInstanceOf(Result.Changed.class);
        assertThat(FileModuleTestKit.read(f)).isEqualTo("a\n");
        assertThat(FileModuleTestKit.mode(f)).isEqualTo("0600");
    }

    @Test
    void onlyAttributeChangeSaysSo() throws Exception {
        Path f = Files.writeString(dir.resolve("a"), "a\n");
        FileModuleTestKit.chmod(f, "rw-r--r--");
        Result r = kit.run("path", f.toString(), "line", "a", "mode", "0600");
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(r.msg()).isEqualTo("ownership, perms or SE linux context changed");
    }

    @Test
    void argumentErrorsLikeAnsible() throws Exception {
        Path f = Files.writeString(dir.resolve("a"), "a\n");
        assertThat(kit.run("path", f.toString(), "line", "x", "backrefs", true).msg())
                .isEqualTo("regexp is required with backrefs=true");
        assertThat(kit.run("path", f.toString(), "regexp", "x").msg()).isEqualTo("line is required with state=present");
        assertThat(kit.run("path", dir.toString(), "line", "x").msg()).isEqualTo("Path " + dir + " is a directory !");
    }
}
