package io.budgetctl.modules.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.connection.RoundTrips;
import io.budgetctl.engine.module.Module;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.commands.CommandModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins how many commands each file module runs on the host per task, first run (cold) and second run (warm), over a
 * real local connection. Over ssh every command is a session channel and a process on the host, so these numbers are
 * what a task costs there (FileModulesOverSshIT checks the same over sshd, SFTP included). A change that makes a
 * module ask the host more often fails here; if the extra command is really needed, update the number and
 * docs/performance.md.
 */
class FileModuleRoundTripsTest {
    @TempDir
    Path dir;

    /** Runs the task and returns the result with the number of commands it ran. */
    private record Counted(Result result, long execs) {
    }

    private Counted count(Module module, boolean check, Object... kv) {
        return count(new FileModuleTestKit(module, dir), check, kv);
    }

    private static Counted count(FileModuleTestKit kit, boolean check, Object... kv) {
        RoundTrips.Counts before = kit.roundTrips();
        Result r = check ? kit.run(true, false, kv) : kit.run(kv);
        return new Counted(r, kit.roundTrips().minus(before).execs());
    }

    @Test
    void copyCostsOneCommandColdAndWarm() {
        // given
        Object[] task = {"content", "budgetctl\n", "dest", dir.resolve("README").toString(), "mode", "0644"};
        // when
        Counted cold = count(new CopyModule(), false, task);
        Counted warm = count(new CopyModule(), false, task);
        // then
        assertThat(cold.result()).isInstanceOf(Result.Changed.class);
        assertThat(cold.execs()).as("probe and upload-and-rename in one").isEqualTo(1);
        assertThat(cold.result().data()).containsEntry("mode", "0644").containsEntry("state", "file")
                .containsKeys("uid", "gid", "owner", "group", "size", "checksum", "md5sum");
        assertThat(dir.resolve("README")).hasContent("budgetctl");
        assertThat(warm.result()).isInstanceOf(Result.Ok.class);
        assertThat(warm.execs()).as("probe only").isEqualTo(1);
        assertThat(warm.result().data()).containsEntry("mode", "0644").containsEntry("state", "file")
                .containsKeys("uid", "gid", "owner", "group", "size");
    }

    @Test
    void largerContentCostsTwoCommandsWhenItChangesAndOneWhenNot() throws Exception {
        // given: more than travels with the probe
        String big = "x".repeat(AtomicPut.ONE_SHOT_MAX_BYTES + 1);
        Object[] task = {"content", big, "dest", dir.resolve("big").toString()};
        // when
        Counted cold = count(new CopyModule(), false, task);
        Counted warm = count(new CopyModule(), false, task);
        // then
        assertThat(cold.result()).isInstanceOf(Result.Changed.class);
        assertThat(cold.execs()).as("probe, then upload-and-rename").isEqualTo(2);
        assertThat(warm.result()).isInstanceOf(Result.Ok.class);
        assertThat(warm.execs()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("big"))).isEqualTo(big);
    }

    @Test
    void forceFalseOnAnExistingFileWritesNothing() throws Exception {
        // given
        Path dest = Files.writeString(dir.resolve("settings"), "mine\n");
        // when
        Counted kept = count(new CopyModule(), false, "content", "theirs\n", "dest", dest.toString(), "force",
                false);
        // then
        assertThat(kept.result()).isInstanceOf(Result.Ok.class);
        assertThat(kept.execs()).isEqualTo(1);
        assertThat(dest).hasContent("mine");
    }

    @Test
    void aMissingParentDirectoryFailsWithoutWriting() {
        // when
        Counted missing = count(new CopyModule(), false, "content", "x\n", "dest", dir.resolve("no/x").toString());
        // then
        assertThat(missing.result()).isInstanceOf(Result.Failed.class);
        assertThat(missing.result().msg()).isEqualTo("Destination directory " + dir.resolve("no") + " does not exist");
        assertThat(missing.execs()).isEqualTo(1);
        assertThat(dir.resolve("no")).doesNotExist();
    }

    @Test
    void changedContentWithBackupCostsOneCommand() throws Exception {
        // given
        Path dest = Files.writeString(dir.resolve("app.env"), "A=1\n");
        // when
        Counted changed = count(new CopyModule(), false, "content", "A=2\n", "dest", dest.toString(), "backup",
                true);
        // then
        assertThat(changed.result()).isInstanceOf(Result.Changed.class);
        assertThat(changed.execs()).isEqualTo(1);
        assertThat(Path.of((String) changed.result().data().get("backup_file"))).hasContent("A=1");
        assertThat(dest).hasContent("A=2");
    }

    @Test
    void checkModeCostsOneCommand() {
        // when
        Counted check = count(new CopyModule(), true, "content", "x\n", "dest", dir.resolve("x").toString());
        // then
        assertThat(check.result()).isInstanceOf(Result.Changed.class);
        assertThat(check.execs()).isEqualTo(1);
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void templateCostsOneCommandColdAndWarm() throws Exception {
        // given
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/app.conf.j2"), "port={{ port }}\n");
        FileModuleTestKit kit = new FileModuleTestKit(new TemplateModule(), dir).vars(Map.of("port", 8080));
        Object[] task = {"src", "app.conf.j2", "dest", dir.resolve("app.conf").toString(), "mode", "0640"};
        // when
        Counted cold = count(kit, false, task);
        Counted warm = count(kit, false, task);
        // then
        assertThat(cold.result()).isInstanceOf(Result.Changed.class);
        assertThat(cold.execs()).isEqualTo(1);
        assertThat(warm.result()).isInstanceOf(Result.Ok.class);
        assertThat(warm.execs()).isEqualTo(1);
        assertThat(dir.resolve("app.conf")).hasContent("port=8080");
        assertThat(FileModuleTestKit.mode(dir.resolve("app.conf"))).isEqualTo("0640");
    }

    @Test
    void directoryCostsOneCommandColdAndWarm() throws Exception {
        // given: two missing levels, both created by the one command that would otherwise have probed
        Object[] task = {"path", dir.resolve("a/b").toString(), "state", "directory", "mode", "0750"};
        // when
        Counted cold = count(new FileModule(), false, task);
        Counted warm = count(new FileModule(), false, task);
        // then
        assertThat(cold.result()).isInstanceOf(Result.Changed.class);
        assertThat(cold.execs()).isEqualTo(1);
        assertThat(cold.result().data()).containsEntry("mode", "0750").containsEntry("state", "directory");
        assertThat(warm.result()).isInstanceOf(Result.Ok.class);
        assertThat(warm.execs()).isEqualTo(1);
        assertThat(warm.result().data()).containsEntry("mode", "0750").containsEntry("state", "directory");
        assertThat(FileModuleTestKit.mode(dir.resolve("a"))).isEqualTo("0750");
    }

    @Test
    void aSymbolicModeOnANewDirectoryTakesTheStepByStepPath() throws Exception {
        // when: u+x depends on the new directory's mode, so it is probed, created, then chmod-ed
        Counted cold = count(new FileModule(), false, "path", dir.resolve("s").toString(), "state", "directory",
                "mode", "g-rwx,o-rwx");
        // then
        assertThat(cold.result()).isInstanceOf(Result.Changed.class);
        assertThat(cold.execs()).isGreaterThan(2);
        assertThat(FileModuleTestKit.mode(dir.resolve("s"))).isEqualTo("0700");
    }

    @Test
    void linkCostsOneCommandColdAndWarm() throws Exception {
        // given
        Files.createDirectories(dir.resolve("releases/v1"));
        Object[] task = {"src", dir.resolve("releases/v1").toString(), "dest", dir.resolve("current").toString(),
                "state", "link"};
        // when
        Counted cold = count(new FileModule(), false, task);
        Counted warm = count(new FileModule(), false, task);
        // then
        assertThat(cold.result()).isInstanceOf(Result.Changed.class);
        assertThat(cold.execs()).isEqualTo(1);
        assertThat(cold.result().diffs()).singleElement().satisfies(d -> assertThat(d.before()).contains("absent"));
        assertThat(warm.result()).isInstanceOf(Result.Ok.class);
        assertThat(warm.execs()).isEqualTo(1);
        assertThat(warm.result().data()).isEqualTo(cold.result().data());
        assertThat(Files.readSymbolicLink(dir.resolve("current"))).isEqualTo(dir.resolve("releases/v1"));
    }

    @Test
    void aLinkToAMissingSourceIsRefusedWithoutForceAndMadeWithIt() {
        // given
        Object[] task = {"src", dir.resolve("nowhere").toString(), "dest", dir.resolve("l").toString(), "state",
                "link"};
        // when
        Counted refused = count(new FileModule(), false, task);
        Object[] forced = java.util.Arrays.copyOf(task, task.length + 2);
        forced[task.length] = "force";
        forced[task.length + 1] = true;
        Counted made = count(new FileModule(), false, forced);
        // then
        assertThat(refused.result()).isInstanceOf(Result.Failed.class);
        assertThat(refused.execs()).isEqualTo(1);
        assertThat(made.result()).isInstanceOf(Result.Changed.class);
        assertThat(made.execs()).isEqualTo(1);
        assertThat(Files.isSymbolicLink(dir.resolve("l"))).isTrue();
    }

    @Test
    void lineinfileCostsTwoCommandsWhenItEditsAndOneWhenNot() throws Exception {
        // given
        Path settings = Files.writeString(dir.resolve("settings"), "# settings\nlog_level=info\n");
        Object[] task = {"path", settings.toString(), "regexp", "^log_level=", "line", "log_level=warn"};
        // when
        Counted cold = count(new LineinfileModule(), false, task);
        Counted warm = count(new LineinfileModule(), false, task);
        // then
        assertThat(cold.result()).isInstanceOf(Result.Changed.class);
        assertThat(cold.execs()).isEqualTo(2);
        assertThat(warm.result()).isInstanceOf(Result.Ok.class);
        assertThat(warm.execs()).isEqualTo(1);
        assertThat(settings).hasContent("# settings\nlog_level=warn");
    }

    @Test
    void statCostsOneCommand() {
        // when
        Counted st = count(new StatModule(), false, "path", dir.toString());
        // then
        assertThat(st.result().data()).extractingByKey("stat").asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("isdir", true);
        assertThat(st.execs()).isEqualTo(1);
    }

    @Test
    void theCounterCountsEveryCommand() {
        // given
        FileModuleTestKit kit = new FileModuleTestKit(new CommandModule(), dir);
        // when
        Counted one = count(kit, false, "argv", List.of("true"));
        // then
        assertThat(one.execs()).isEqualTo(1);
    }
}
