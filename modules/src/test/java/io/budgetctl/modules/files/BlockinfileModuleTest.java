package io.budgetctl.modules.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockinfileModuleTest {
    @TempDir
    Path dir;

    private final FileModuleTestKit kit = new FileModuleTestKit(new BlockinfileModule(), null);

    @Test
    void blockIsInsertedReplacedAndRemoved() throws Exception {
        // given
        Path f = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        // when
        Result insert = kit.run("path", f.toString(), "block", "10.0.0.1 db\n10.0.0.2 cache");
        Result same = kit.run("path", f.toString(), "block", "10.0.0.1 db\n10.0.0.2 cache");
        String afterInsert = FileModuleTestKit.read(f);
        Result replace = kit.run("path", f.toString(), "block", "10.0.0.3 db");
        String afterReplace = FileModuleTestKit.read(f);
        Result remove = kit.run("path", f.toString(), "state", "absent");
        // then
        assertThat(insert.msg()).isEqualTo("Block inserted");
        assertThat(afterInsert).isEqualTo("127.0.0.1 localhost\n# BEGIN ANSIBLE MANAGED BLOCK\n10.0.0.1 db\n"
                + "10.0.0.2 cache\n# END ANSIBLE MANAGED BLOCK\n");
        assertThat(same).isInstanceOf(Result.Ok.class);
        assertThat(afterReplace).isEqualTo("127.0.0.1 localhost\n# BEGIN ANSIBLE MANAGED BLOCK\n10.0.0.3 db\n"
                + "# END ANSIBLE MANAGED BLOCK\n");
        assertThat(remove.msg()).isEqualTo("Block removed");
        assertThat(FileModuleTestKit.read(f)).isEqualTo("127.0.0.1 localhost\n");
    }

    @Test
    void customMarkersAndInsertBefore() throws Exception {
        // given
        Path f = Files.writeString(dir.resolve("c"), "a\n</VirtualHost>\n");
        // when
        kit.run("path", f.toString(), "block", "x", "marker", "<!-- {mark} app -->", "marker_begin", "start",
                "marker_end", "stop", "insertbefore", "^</VirtualHost>");
        // then
        assertThat(FileModuleTestKit.read(f)).isEqualTo("a\n<!-- start app -->\nx\n<!-- stop app -->\n</VirtualHost>\n");
    }

    @Test
    void checkModeDiffAndCreate() throws Exception {
        // given
        Path f = dir.resolve("new.conf");
        // when
        Result check = kit.check("path", f.toString(), "block", "k=v", "create", true);
        boolean existsAfterCheck = Files.exists(f);
        Result missing = kit.run("path", f.toString(), "block", "k=v");
        Result created = kit.run("path", f.toString(), "block", "k=v", "create", true, "mode", "0640",
                "backup", true);
        // then
        assertThat(check).isInstanceOf(Result.Changed.class);
        assertThat(check.msg()).isEqualTo("File created");
        assertThat(check.diffs()).containsExactly(new Result.Diff(f.toString(), null,
                "# BEGIN ANSIBLE MANAGED BLOCK\nk=v\n# END ANSIBLE MANAGED BLOCK\n"));
        assertThat(existsAfterCheck).isFalse();
        assertThat(missing.msg()).isEqualTo("Path " + f + " does not exist !");
        assertThat(created).isInstanceOf(Result.Changed.class);
        assertThat(created.data()).doesNotContainKey("backup_file");
        assertThat(FileModuleTestKit.mode(f)).isEqualTo("0640");
    }

    @Test
    void backupFileIsReportedUnderAnsiblesKey() throws Exception {
        Path f = Files.writeString(dir.resolve("b"), "x\n");
        Result r = kit.run("path", f.toString(), "block", "y", "backup", true);
        assertThat(FileModuleTestKit.read(Path.of((String) r.data().get("backup_file")))).isEqualTo("x\n");
    }
}
