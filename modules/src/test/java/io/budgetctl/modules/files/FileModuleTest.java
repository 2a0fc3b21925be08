package io.budgetctl.modules.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.Result;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileModuleTest {
    @TempDir
    Path dir;

    private FileModuleTestKit kit() {
        return new FileModuleTestKit(new FileModule(), null);
    }

    @Test
    void directoryIsCreatedWithParentsAndModeThenOk() throws Exception {
        // given
        Path d = dir.resolve("a/b/c");
        // when
        Result check = kit().check("path", d.toString(), "state", "directory", "mode", "0750");
        boolean existedAfterCheck = Files.exists(dir.resolve("a"));
        Result first = kit().run("path", d.toString(), "state", "directory", "mode", "0750");
        Result second = kit().run("path", d.toString(), "state", "directory", "mode", "0750");
        // then
        assertThat(check).isInstanceOf(Result.Changed.class);
        assertThat(existedAfterCheck).isFalse();
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(first.data()).containsEntry("path", d.toString()).containsEntry("state", "directory")
                .containsEntry("mode", "0750");
        assertThat(FileModuleTestKit.mode(dir.resolve("a"))).isEqualTo("0750");
        assertThat(FileModuleTestKit.mode(d)).isEqualTo("0750");
        assertThat(second).isInstanceOf(Result.Ok.class);
    }

    @Test
    void recurseSetsModeOnEverythingBelow() throws Exception {
        // given
        Path d = Files.createDirectories(dir.resolve("data/sub"));
        Files.writeString(d.resolve("f"), "x");
        FileModuleTestKit.chmod(d.resolve("f"), "rw-------");
        FileModuleTestKit.chmod(d, "rwx------");
        // when
        Result first = kit().run("path", dir.resolve("data").toString(), "state", "directory", "mode", "u=rwX,go=rX",
                "recurse", true);
        Result second = kit().run("path", dir.resolve("data").toString(), "state", "directory", "mode",
                "u=rwX,go=rX", "recurse", true);
        // then
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(FileModuleTestKit.mode(d)).isEqualTo("0755");
        assertThat(FileModuleTestKit.mode(d.resolve("f"))).isEqualTo("0644");
        assertThat(second).isInstanceOf(Result.Ok.class);
    }

    @Test
    void linkIsCreatedRepointedAndLeftAlone() throws Exception {
        // given
        Files.createDirectories(dir.resolve("releases/1"));
        Files.createDirectories(dir.resolve("releases/2"));
        Path current = dir.resolve("current");
        // when
        Result create = kit().run("path", current.toString(), "state", "link", "src", "releases/1");
        Result same = kit().run("path", current.toString(), "state", "link", "src", "releases/1");
        Result checkRepoint = kit().check("path", current.toString(), "state", "link", "src", "releases/2");
        String afterCheck = Files.readSymbolicLink(current).toString();
        Result repoint = kit().run("path", current.toString(), "state", "link", "src", "releases/2");
        // then
        assertThat(create).isInstanceOf(Result.Changed.class);
        assertThat(create.data()).containsEntry("dest", current.toString()).containsEntry("src", "releases/1")
                .containsEntry("state", "link");
        assertThat(same).isInstanceOf(Result.Ok.class);
        assertThat(checkRepoint).isInstanceOf(Result.Changed.class);
        assertThat(checkRepoint.diffs()).singleElement().satisfies(d -> assertThat(d.after()).contains("releases/2"));
        assertThat(afterCheck).isEqualTo("releases/1");
        assertThat(repoint).isInstanceOf(Result.Changed.class);
        assertThat(Files.readSymbolicLink(current).toString()).isEqualTo("releases/2");
    }

    @Test
    void linkRefusals() throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("plain"), "x");
        // then
        assertThat(kit().run("path", dir.resolve("l").toString(), "state", "link", "src", "missing").msg())
                .isEqualTo("src file does not exist, use \"force=yes\" if you really want to create the link: "
                        + dir.resolve("missing"));
        assertThat(kit().run("path", file.toString(), "state", "link", "src", "/etc").msg())
                .isEqualTo("refusing to convert from file to symlink for " + file);
        assertThat(kit().run("path", dir.resolve("l2").toString(), "state", "link").msg())
                .isEqualTo("src is required for creating new symlinks");
        assertThat(kit().run("path", dir.resolve("l3").toString(), "state", "link", "src", "missing", "force", true))
                .isInstanceOf(Result.Changed.class);
        assertThat(Files.isSymbolicLink(dir.resolve("l3"))).isTrue();
    }

    @Test
    void absentRemovesTreesAndIsOkWhenGone() throws Exception {
        // given
        Path d = Files.createDirectories(dir.resolve("old/x"));
        // when
        Result check = kit().check("path", dir.resolve("old").toString(), "state", "absent");
        Result first = kit().run("path", dir.resolve("old").toString(), "state", "absent");
        Result second = kit().run("path", dir.resolve("old").toString(), "state", "absent");
        // then
        assertThat(check).isInstanceOf(Result.Changed.class);
        assertThat(check.diffs()).containsExactly(new Result.Diff(dir.resolve("old").toString(),
                "path: " + dir.resolve("old") + "\nstate: directory\n", "path: " + dir.resolve("old")
                + "\nstate: absent\n"));
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(Files.exists(d)).isFalse();
        assertThat(second).isInstanceOf(Result.Ok.class);
        assertThat(second.data()).containsEntry("state", "absent");
    }

    @Test
    void touchCreatesAndAlwaysReportsChanged() throws Exception {
        // given
        Path f = dir.resolve("stamp");
        // when
        Result first = kit().run("path", f.toString(), "state", "touch", "mode", "0600");
        Result second = kit().run("path", f.toString(), "state", "touch", "mode", "0600");
        // then
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(second).isInstanceOf(Result.Changed.class);
        assertThat(FileModuleTestKit.mode(f)).isEqualTo("0600");
    }

    @Test
    void stateFileOnlyChangesAttributesAndFailsWhenAbsent() throws Exception {
        // given
        Path f = Files.writeString(dir.resolve("f"), "x");
        FileModuleTestKit.chmod(f, "rw-r--r--");
        // when
        Result mode = kit().run("path", f.toString(), "mode", "g+w");
        Result again = kit().run("path", f.toString(), "mode", "g+w");
        Result missing = kit().run("path", dir.resolve("nope").toString(), "state", "file");
        // then
        assertThat(mode).isInstanceOf(Result.Changed.class);
        assertThat(FileModuleTestKit.mode(f)).isEqualTo("0664");
        assertThat(again).isInstanceOf(Result.Ok.class);
        assertThat(missing.msg()).isEqualTo("file (" + dir.resolve("nope") + ") is absent, cannot continue");
    }

    @Test
    void directoryOverAFileFails() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        assertThat(kit().run("path", f.toString(), "state", "directory").msg())
                .isEqualTo(f + " already exists as a file");
        assertThat(Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void ownerAndGroupAreSetAndComparedByName() throws Exception {
        // given: we run as root in CI; nobody/nogroup exist on Debian
        Path f = Files.writeString(dir.resolve("owned"), "x");
        // when
        Result first = kit().run("path", f.toString(), "owner", "nobody", "group", "nogroup");
        Result second = kit().run("path", f.toString(), "owner", "nobody", "group", "nogroup");
        // then
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(first.data()).containsEntry("owner", "nobody").containsEntry("group", "nogroup");
        assertThat(Files.getOwner(f).getName()).isEqualTo("nobody");
        assertThat(second).isInstanceOf(Result.Ok.class);
    }

    @Test
    void touchPreservingTimesCreatesOnceThenIsOk() throws Exception {
        // given
        Path f = dir.resolve("once");
        // when
        Result first = kit().run("path", f.toString(), "state", "touch", "mode", "0640",
                "modification_time", "preserve", "access_time", "preserve");
        java.nio.file.attribute.FileTime stamp = Files.getLastModifiedTime(f);
        Thread.sleep(20);
        Result second = kit().run("path", f.toString(), "state", "touch", "mode", "0640",
                "modification_time", "preserve", "access_time", "preserve");
        // then
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(FileModuleTestKit.mode(f)).isEqualTo("0640");
        assertThat(second).isInstanceOf(Result.Ok.class);
        assertThat(Files.getLastModifiedTime(f)).isEqualTo(stamp);
    }

    @Test
    void modificationTimeStringIsSetInLocalTimeOnceAndCheckModeOnlyReports() throws Exception {
        // given
        Path f = Files.writeString(dir.resolve("dated"), "x");
        long want = java.time.LocalDateTime.of(2021, 3, 4, 5, 6, 7).atZone(java.time.ZoneId.systemDefault())
                .toEpochSecond();
        // when
        Result check = kit().check("path", f.toString(), "state", "file", "modification_time", "202103040506.07");
        long afterCheck = Files.getLastModifiedTime(f).toMillis() / 1000;
        Result first = kit().run("path", f.toString(), "state", "file", "modification_time", "202103040506.07");
        Result second = kit().run("path", f.toString(), "state", "file", "modification_time", "202103040506.07");
        // then
        assertThat(check).isInstanceOf(Result.Changed.class);
        assertThat(afterCheck).isNotEqualTo(want);
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(Files.getLastModifiedTime(f).toInstant().getEpochSecond()).isEqualTo(want);
        assertThat(second).isInstanceOf(Result.Ok.class);
    }

    @Test
    void accessTimeWithItsOwnFormatLeavesTheModificationTimeAlone() throws Exception {
        // given
        Path d = Files.createDirectories(dir.resolve("d"));
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(d);
        long want = java.time.LocalDateTime.of(2020, 12, 31, 23, 0, 0).atZone(java.time.ZoneId.systemDefault())
                .toEpochSecond();
        // when
        Result first = kit().run("path", d.toString(), "state", "directory", "access_time", "31 Dec 2020 11PM",
                "access_time_format", "%d %b %Y %I%p");
        Result second = kit().run("path", d.toString(), "state", "directory", "access_time", "31 Dec 2020 11PM",
                "access_time_format", "%d %b %Y %I%p");
        // then
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(((java.nio.file.attribute.FileTime) Files.getAttribute(d, "lastAccessTime")).toInstant()
                .getEpochSecond()).isEqualTo(want);
        assertThat(Files.getLastModifiedTime(d)).isEqualTo(mtime);
        assertThat(second).isInstanceOf(Result.Ok.class);
    }

    @Test
    void aTimeThatDoesNotMatchItsFormatFailsWithAnsiblesMessage() {
        // when
        Result r = kit().run("path", dir.toString(), "state", "directory", "modification_time", "yesterday");
        // then
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(((Result.Failed) r).msg()).isEqualTo("Error while obtaining timestamp for time yesterday "
                + "using format %Y%m%d%H%M.%S: time data 'yesterday' does not match format '%Y%m%d%H%M.%S'");
    }

    @Test
    void modificationTimeNowAlwaysChanges() throws Exception {
        // given
        Path f = Files.writeString(dir.resolve("now"), "x");
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(0));
        // when
        Result r = kit().run("path", f.toString(), "state", "file", "modification_time", "now");
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(Files.getLastModifiedTime(f).toMillis()).isGreaterThan(1_000_000_000_000L);
    }
}
