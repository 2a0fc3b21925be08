package io.budgetctl.modules.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnarchiveModuleTest {
    @TempDir
    Path dir;

    private Path dest;

    private FileModuleTestKit kit() {
        return new FileModuleTestKit(new UnarchiveModule(), dir.resolve("play"));
    }

    @BeforeEach
    void makeArchive() throws Exception {
        Path content = Files.createDirectories(dir.resolve("build/app-1.0/bin"));
        Files.writeString(content.resolve("run.sh"), "#!/bin/sh\necho hi\n");
        Files.writeString(dir.resolve("build/app-1.0/README"), "readme\n");
        Files.createDirectories(dir.resolve("play/files"));
        Process p = new ProcessBuilder("tar", "-C", dir.resolve("build").toString(), "-czf",
                dir.resolve("play/files/app.tar.gz").toString(), "app-1.0").inheritIO().start();
        assertThat(p.waitFor()).isZero();
        dest = Files.createDirectory(dir.resolve("opt"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void extractsOnceThenSeesItIsAlreadyUnpacked() throws Exception {
        // when
        Result check = kit().check("src", "app.tar.gz", "dest", dest.toString());
        boolean emptyAfterCheck = dest.toFile().list().length == 0;
        Result first = kit().run("src", "app.tar.gz", "dest", dest.toString(), "list_files", true);
        Result second = kit().run("src", "app.tar.gz", "dest", dest.toString());
        // then
        assertThat(check).isInstanceOf(Result.Changed.class);
        assertThat(emptyAfterCheck).isTrue();
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(first.data()).containsEntry("dest", dest.toString()).containsEntry("state", "directory")
                .containsEntry("handler", "TgzArchive");
        assertThat((List<Object>) first.data().get("files")).contains("app-1.0/README", "app-1.0/bin/run.sh");
        assertThat(FileModuleTestKit.read(dest.resolve("app-1.0/bin/run.sh"))).isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(second).isInstanceOf(Result.Ok.class);
    }

    @Test
    void aModifiedFileIsRestored() throws Exception {
        // given
        kit().run("src", "app.tar.gz", "dest", dest.toString());
        Files.writeString(dest.resolve("app-1.0/README"), "tampered\n");
        // when
        Result r = kit().run("src", "app.tar.gz", "dest", dest.toString());
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(FileModuleTestKit.read(dest.resolve("app-1.0/README"))).isEqualTo("readme\n");
    }

    @Test
    void createsSkipsAndRemoteSrcWorks() throws Exception {
        // given
        Path remote = dir.resolve("play/files/app.tar.gz");
        // when
        Result first = kit().run("src", remote.toString(), "remote_src", true, "dest", dest.toString(),
                "creates", dest.resolve("app-1.0").toString());
        Result skipped = kit().run("src", remote.toString(), "remote_src", true, "dest", dest.toString(),
                "creates", dest.resolve("app-1.0").toString());
        // then
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(skipped).isInstanceOf(Result.Skipped.class);
        assertThat(skipped.msg()).isEqualTo("skipped, since " + dest.resolve("app-1.0") + " exists");
    }

    @Test
    void modeIsAppliedToMembersAndStaysIdempotent() throws Exception {
        // when
        Result first = kit().run("src", "app.tar.gz", "dest", dest.toString(), "mode", "u=rwX,g=rX,o=");
        Result second = kit().run("src", "app.tar.gz", "dest", dest.toString(), "mode", "u=rwX,g=rX,o=");
        // then
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(FileModuleTestKit.mode(dest.resolve("app-1.0/README"))).isEqualTo("0640");
        assertThat(FileModuleTestKit.mode(dest.resolve("app-1.0/bin"))).isEqualTo("0750");
        assertThat(second).isInstanceOf(Result.Ok.class);
    }

    @Test
    void failures() throws Exception {
        assertThat(kit().run("src", "app.tar.gz", "dest", dir.resolve("nope").toString()).msg())
                .isEqualTo("dest '" + dir.resolve("nope") + "' must be an existing dir");
        assertThat(kit().run("src", "/nope.tgz", "remote_src", true, "dest", dest.toString()).msg())
                .isEqualTo("Source '/nope.tgz' does not exist");
        assertThat(kit().run("src", "missing.tgz", "dest", dest.toString()).msg())
                .startsWith("Could not find or access 'missing.tgz'");
        Files.writeString(dir.resolve("play/files/not-an-archive"), "text");
        assertThat(kit().run("src", "not-an-archive", "dest", dest.toString()).msg())
                .startsWith("Failed to find handler for");
    }
}
