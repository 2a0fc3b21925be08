package io.budgetctl.modules.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyModuleTest {
    @TempDir
    Path dir;

    private FileModuleTestKit kit() {
        return new FileModuleTestKit(new CopyModule(), dir.resolve("play"));
    }

    @Test
    void contentIsWrittenOnceThenReportedOk() throws Exception {
        // given
        Path dest = dir.resolve("app.conf");
        // when
        Result first = kit().run("content", "port=8080\n", "dest", dest.toString(), "mode", "0640");
        Result second = kit().run("content", "port=8080\n", "dest", dest.toString(), "mode", "0640");
        // then
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(first.data()).containsEntry("dest", dest.toString()).containsEntry("mode", "0640")
                .containsEntry("checksum", sha1sumOf("port=8080\n"))
                .containsEntry("state", "file");
        assertThat(FileModuleTestKit.read(dest)).isEqualTo("port=8080\n");
        assertThat(FileModuleTestKit.mode(dest)).isEqualTo("0640");
        assertThat(second).isInstanceOf(Result.Ok.class);
    }

    /** The checksum as the host's sha1sum computes it (independent of our Java digest). */
    static String sha1sumOf(String text) throws Exception {
        Process p = new ProcessBuilder("sha1sum").start();
        p.getOutputStream().write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().close();
        return new String(p.getInputStream().readAllBytes()).split(" ")[0];
    }

    @Test
    void checkModeReportsChangeAndShowsDiffButWritesNothing() throws Exception {
        // given
        Path dest = dir.resolve("app.conf");
        Files.writeString(dest, "port=80\n");
        // when
        Result r = kit().check("content", "port=8080\n", "dest", dest.toString());
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(r.diffs()).containsExactly(new Result.Diff(dest.toString(), "port=80\n", "port=8080\n"));
        assertThat(FileModuleTestKit.read(dest)).isEqualTo("port=80\n");
    }

    @Test
    void diffOfANewFileHasNoBefore() {
        // given
        Path dest = dir.resolve("new.txt");
        // when
        Result r = kit().diff("content", "hello\n", "dest", dest.toString());
        // then
        assertThat(r.diffs()).containsExactly(new Result.Diff(dest.toString(), null, "hello\n"));
    }

    @Test
    void onlyAModeChangeIsChangedWithoutRewritingContent() throws Exception {
        // given
        Path dest = dir.resolve("a.txt");
        Files.writeString(dest, "x");
        FileModuleTestKit.chmod(dest, "rw-r--r--");
        // when
        Result check = kit().check("content", "x", "dest", dest.toString(), "mode", "u=rw,g=,o=");
        Result r = kit().run("content", "x", "dest", dest.toString(), "mode", "u=rw,g=,o=");
        Result again = kit().run("content", "x", "dest", dest.toString(), "mode", "u=rw,g=,o=");
        // then
        assertThat(check).isInstanceOf(Result.Changed.class);
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(FileModuleTestKit.mode(dest)).isEqualTo("0600");
        assertThat(again).isInstanceOf(Result.Ok.class);
    }

    @Test
    void integerModeIsTheNumberItselfAsInAnsible() throws Exception {
        // given: "mode: 0600" arrives from the YAML 1.1 loader as the number 384, "mode: 600" as 600 (= 01130)
        Path dest = dir.resolve("m.txt");
        Path odd = dir.resolve("odd.txt");
        // when
        kit().run("content", "x", "dest", dest.toString(), "mode", 0600);
        kit().run("content", "x", "dest", odd.toString(), "mode", 600);
        // then
        assertThat(FileModuleTestKit.mode(dest)).isEqualTo("0600");
        assertThat(new io.budgetctl.engine.connection.LocalConnection("localhost")
                .stat(odd.toString(), io.budgetctl.engine.connection.Become.NONE).orElseThrow().mode())
                .isEqualTo("1130");
    }

    @Test
    void srcIsFoundUnderFilesAndCopiedIntoADirectoryDest() throws Exception {
        // given
        Files.createDirectories(dir.resolve("play/files"));
        Files.writeString(dir.resolve("play/files/motd"), "welcome\n");
        Path target = Files.createDirectory(dir.resolve("etc"));
        // when
        Result r = kit().run("src", "motd", "dest", target.toString());
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(r.data()).containsEntry("dest", target.resolve("motd").toString());
        assertThat(FileModuleTestKit.read(target.resolve("motd"))).isEqualTo("welcome\n");
    }

    @Test
    void missingDestinationDirectoryFailsLikeAnsible() {
        // when
        Result r = kit().run("content", "x", "dest", dir.resolve("nope/a.txt").toString());
        // then
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).isEqualTo("Destination directory " + dir.resolve("nope") + " does not exist");
    }

    @Test
    void booleanContentIsWrittenAsPythonWritesIt() throws Exception {
        // given: content: "{{ flag }}" templated to a native boolean, as Ansible does
        Path t = dir.resolve("t.txt");
        Path f = dir.resolve("f.txt");
        // when
        kit().run("content", true, "dest", t.toString());
        kit().run("content", false, "dest", f.toString());
        // then
        assertThat(Files.readString(t)).isEqualTo("True");
        assertThat(Files.readString(f)).isEqualTo("False");
    }

    @Test
    void missingSrcAndContentFails() {
        assertThat(kit().run("dest", dir.resolve("a").toString()).msg()).isEqualTo("src (or content) is required");
        assertThat(kit().run("src", "absent.txt", "dest", dir.resolve("a").toString()).msg())
                .startsWith("Could not find or access 'absent.txt'");
    }

    @Test
    void contentToADirectoryFails() {
        assertThat(kit().run("content", "x", "dest", dir.toString()).msg())
                .isEqualTo("can not use content with a dir as dest");
    }

    @Test
    void forceNoLeavesAnExistingFileAlone() throws Exception {
        // given
        Path dest = dir.resolve("keep.txt");
        Files.writeString(dest, "old");
        // when
        Result r = kit().run("content", "new", "dest", dest.toString(), "force", "no");
        // then
        assertThat(r).isInstanceOf(Result.Ok.class);
        assertThat(FileModuleTestKit.read(dest)).isEqualTo("old");
    }

    @Test
    void backupKeepsTheOldContentAndReportsItsName() throws Exception {
        // given
        Path dest = dir.resolve("b.txt");
        Files.writeString(dest, "old\n");
        // when
        Result r = kit().run("content", "new\n", "dest", dest.toString(), "backup", true);
        // then
        String backup = (String) r.data().get("backup_file");
        assertThat(backup).matches(java.util.regex.Pattern.quote(dest.toString())
                + "\\.\\d+\\.\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d~");
        assertThat(FileModuleTestKit.read(Path.of(backup))).isEqualTo("old\n");
        assertThat(FileModuleTestKit.read(dest)).isEqualTo("new\n");
    }

    @Test
    void failingValidateLeavesDestUntouched() throws Exception {
        // given
        Path dest = dir.resolve("v.conf");
        Files.writeString(dest, "good\n");
        // when
        Result bad = kit().run("content", "bad\n", "dest", dest.toString(), "validate", "grep -q '^good' %s");
        Result good = kit().run("content", "good too\n", "dest", dest.toString(), "validate", "grep -q '^good' %s");
        // then
        assertThat(bad).isInstanceOf(Result.Failed.class);
        assertThat(bad.msg()).isEqualTo("failed to validate");
        assertThat(bad.data()).containsEntry("exit_status", 1);
        assertThat(good).isInstanceOf(Result.Changed.class);
        assertThat(FileModuleTestKit.read(dest)).isEqualTo("good too\n");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("budgetctl"));
        }
    }

    @Test
    void validateWithoutPlaceholderFails() {
        assertThat(kit().run("content", "x", "dest", dir.resolve("a").toString(), "validate", "true").msg())
                .isEqualTo("validate must contain %s: true");
    }

    private Path sourceTree() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("play/files/conf.d/sub"));
        Files.createDirectories(dir.resolve("play/files/conf.d/empty"));
        Files.writeString(dir.resolve("play/files/conf.d/a.conf"), "a=1\n");
        Files.writeString(conf.resolve("b.conf"), "b=2\n");
        return dir.resolve("play/files/conf.d");
    }

    @Test
    void directoryWithoutTrailingSlashIsCopiedItselfThenReportedOk() throws Exception {
        // given
        sourceTree();
        Path out = Files.createDirectory(dir.resolve("out"));
        FileModuleTestKit.chmod(out, "rwxr-xr-x");
        // when
        Result first = kit().run("src", "conf.d", "dest", out + "/", "mode", "0640", "directory_mode", "0750");
        Result second = kit().run("src", "conf.d", "dest", out + "/", "mode", "0640", "directory_mode", "0750");
        // then
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(first.data()).containsEntry("dest", out + "/")
                .containsEntry("src", dir.resolve("play/files/conf.d").toString());
        assertThat(FileModuleTestKit.read(out.resolve("conf.d/a.conf"))).isEqualTo("a=1\n");
        assertThat(FileModuleTestKit.read(out.resolve("conf.d/sub/b.conf"))).isEqualTo("b=2\n");
        assertThat(Files.isDirectory(out.resolve("conf.d/empty"))).isTrue();
        assertThat(FileModuleTestKit.mode(out.resolve("conf.d/sub/b.conf"))).isEqualTo("0640");
        assertThat(FileModuleTestKit.mode(out.resolve("conf.d"))).isEqualTo("0750");
        assertThat(FileModuleTestKit.mode(out.resolve("conf.d/sub"))).isEqualTo("0750");
        assertThat(FileModuleTestKit.mode(out)).as("dest itself existed and is left alone").isEqualTo("0755");
        assertThat(second).isInstanceOf(Result.Ok.class);
    }

    @Test
    void directoryWithTrailingSlashCopiesItsContentsIntoANewDest() throws Exception {
        // given
        sourceTree();
        Path flat = dir.resolve("out/flat");
        // when
        Result first = kit().run("src", "conf.d/", "dest", flat.toString());
        Result second = kit().run("src", "conf.d/", "dest", flat.toString());
        // then
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(first.data()).containsEntry("dest", flat + "/")
                .containsEntry("src", dir.resolve("play/files/conf.d") + "/");
        assertThat(FileModuleTestKit.read(flat.resolve("a.conf"))).isEqualTo("a=1\n");
        assertThat(FileModuleTestKit.read(flat.resolve("sub/b.conf"))).isEqualTo("b=2\n");
        assertThat(Files.exists(flat.resolve("conf.d"))).isFalse();
        assertThat(FileModuleTestKit.mode(flat.resolve("a.conf"))).isEqualTo("0644");
        assertThat(second).isInstanceOf(Result.Ok.class);
    }

    @Test
    void directoryCopyRewritesOnlyChangedFilesAndFixesModes() throws Exception {
        // given
        Path src = sourceTree();
        Path out = dir.resolve("out");
        kit().run("src", "conf.d/", "dest", out.toString());
        Files.writeString(src.resolve("a.conf"), "a=changed\n");
        java.nio.file.attribute.FileTime untouched = Files.getLastModifiedTime(out.resolve("sub/b.conf"));
        FileModuleTestKit.chmod(out.resolve("sub/b.conf"), "rw-------");
        // when
        Result r = kit().run("src", "conf.d/", "dest", out.toString(), "mode", "0644");
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(FileModuleTestKit.read(out.resolve("a.conf"))).isEqualTo("a=changed\n");
        assertThat(FileModuleTestKit.mode(out.resolve("sub/b.conf"))).isEqualTo("0644");
        assertThat(Files.getLastModifiedTime(out.resolve("sub/b.conf"))).isEqualTo(untouched);
    }

    @Test
    void directoryCopyInCheckModeReportsAndWritesNothing() throws Exception {
        // given
        sourceTree();
        Path out = dir.resolve("out");
        // when
        Result r = kit().check("src", "conf.d", "dest", out.toString());
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(r.diffs()).extracting(Result.Diff::after).containsExactlyInAnyOrder("a=1\n", "b=2\n");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void directoryCopyOverAFileFails() throws Exception {
        // given
        sourceTree();
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("sub"), "in the way\n");
        // when
        Result r = kit().run("src", "conf.d/", "dest", out.toString());
        // then
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).isEqualTo(out.resolve("sub") + " already exists as a file where the source has a directory");
    }

    @Test
    void directoryModeIsGivenToEveryDirectoryCreatedOnTheWayToDest() throws Exception {
        // given
        sourceTree();
        Path dest = dir.resolve("out/x/y");
        // when
        Result r = kit().run("src", "conf.d/", "dest", dest + "/", "directory_mode", "0700");
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(FileModuleTestKit.mode(dir.resolve("out"))).isEqualTo("0700");
        assertThat(FileModuleTestKit.mode(dir.resolve("out/x"))).isEqualTo("0700");
        assertThat(FileModuleTestKit.mode(dest)).isEqualTo("0700");
        assertThat(FileModuleTestKit.mode(dest.resolve("sub"))).isEqualTo("0700");
    }
}
