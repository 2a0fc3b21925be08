package io.budgetctl.modules.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.Result;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatModuleTest {
    @TempDir
    Path dir;

    private final FileModuleTestKit kit = new FileModuleTestKit(new StatModule(), null);

    @SuppressWarnings("unchecked")
    private Map<String, Object> stat(Object... kv) {
        Result r = kit.run(kv);
        assertThat(r).isInstanceOf(Result.Ok.class);
        return (Map<String, Object>) r.data().get("stat");
    }

    @Test
    void regularFileFactsMatchTheFilesystem() throws Exception {
        // given
        Path f = Files.writeString(dir.resolve("f.txt"), "hello\n");
        FileModuleTestKit.chmod(f, "rw-r-----");
        Map<String, Object> unix = Files.readAttributes(f, "unix:*", LinkOption.NOFOLLOW_LINKS);
        // when
        Map<String, Object> st = stat("path", f.toString());
        // then
        assertThat(st).containsEntry("exists", true).containsEntry("isreg", true).containsEntry("isdir", false)
                .containsEntry("islnk", false).containsEntry("mode", "0640").containsEntry("size", 6L)
                .containsEntry("uid", unix.get("uid")).containsEntry("gid", unix.get("gid"))
                .containsEntry("pw_name", Files.getOwner(f).getName())
                .containsEntry("checksum", CopyModuleTest.sha1sumOf("hello\n"))
                .containsEntry("path", f.toString()).containsEntry("rusr", true).containsEntry("roth", false)
                .containsEntry("mimetype", "text/plain").containsEntry("charset", "us-ascii");
        assertThat(((Number) st.get("mtime")).longValue())
                .isEqualTo(Files.getLastModifiedTime(f).toInstant().getEpochSecond());
    }

    @Test
    void linkIsNotFollowedByDefault() throws Exception {
        // given
        Files.createDirectory(dir.resolve("target"));
        Path l = Files.createSymbolicLink(dir.resolve("l"), Path.of("target"));
        // when
        Map<String, Object> st = stat("path", l.toString());
        Map<String, Object> followed = stat("path", l.toString(), "follow", true);
        // then
        assertThat(st).containsEntry("islnk", true).containsEntry("isdir", false)
                .containsEntry("lnk_target", "target").containsEntry("lnk_source", dir.resolve("target").toString())
                .doesNotContainKey("checksum");
        assertThat(followed).containsEntry("islnk", false).containsEntry("isdir", true);
    }

    @Test
    void missingPathIsOnlyExistsFalse() {
        assertThat(stat("path", dir.resolve("nope").toString())).isEqualTo(Map.of("exists", false));
    }

    @Test
    void otherChecksumAlgorithm() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        assertThat(stat("path", f.toString(), "checksum_algorithm", "sha256"))
                .containsEntry("checksum", FileSupport.hex("SHA-256", "x".getBytes()));
    }

    @Test
    void checkModeStillReports() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        Result r = kit.check("path", f.toString());
        assertThat(r).isInstanceOf(Result.Ok.class);
        assertThat(new StatModule().checkMode()).isEqualTo(io.budgetctl.engine.module.Module.CheckMode.FULL);
    }
}
