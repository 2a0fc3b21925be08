package io.budgetctl.cli.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreeTest {
    @TempDir
    Path tmp;

    @Test
    void trees_that_differ_only_in_their_own_paths_and_backup_timestamps_are_equal() throws IOException {
        // given two runs that wrote their own base dir into a file and made a backup at different times
        Path a = Files.createDirectories(tmp.resolve("a/out"));
        Path b = Files.createDirectories(tmp.resolve("b/out"));
        for (Path side : List.of(a, b)) {
            Files.createDirectories(side.resolve("web1"));
            Files.writeString(side.resolve("web1/pwd.txt"), "pwd=" + side + "/web1\n");
            Files.createSymbolicLink(side.resolve("web1/link"), side.resolve("web1/pwd.txt"));
        }
        Files.writeString(a.resolve("web1/app.conf.123.2024-01-01@10:00:00~"), "old\n");
        Files.writeString(b.resolve("web1/app.conf.98765.2025-06-30@23:59:59~"), "old\n");

        // when
        List<String> diff = FileTree.diff(FileTree.snapshot(a, Map.of(a.toString(), "<BASE>")),
                FileTree.snapshot(b, Map.of(b.toString(), "<BASE>")), "ansible", "budgetctl");

        // then
        assertThat(diff).isEmpty();
    }

    @Test
    void reports_missing_files_modes_and_the_first_differing_lines() throws IOException {
        // given
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.writeString(a.resolve("conf"), "one\ntwo\nthree\n");
        Files.writeString(b.resolve("conf"), "one\nTWO\nthree\n");
        Files.writeString(a.resolve("only-a"), "x");
        Files.setPosixFilePermissions(a.resolve("only-a"), PosixFilePermissions.fromString("rw-r-----"));
        Files.writeString(a.resolve("secret"), "s");
        Files.writeString(b.resolve("secret"), "s");
        Files.setPosixFilePermissions(a.resolve("secret"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(b.resolve("secret"), PosixFilePermissions.fromString("rw-r--r--"));

        // when
        List<String> diff = FileTree.diff(FileTree.snapshot(a, Map.of()), FileTree.snapshot(b, Map.of()),
                "ansible", "budgetctl");

        // then
        assertThat(diff).contains("conf: content differs", "    - two", "    + TWO", "only in ansible: only-a (file 0640)",
                "secret: ansible file 0600 / budgetctl file 0644");
    }
}
