package io.budgetctl.modules.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.Module;
import io.budgetctl.engine.module.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fetch against a real {@link io.budgetctl.engine.connection.LocalConnection}: "host" and controller share a disk. */
class FetchModuleTest {
    @TempDir
    Path host;

    @TempDir
    Path controller;

    private final FileModuleTestKit kit = new FileModuleTestKit(new FetchModule(), null);

    private Path binaryFile(String name, int size) throws Exception {
        byte[] b = new byte[size];
        new Random(42).nextBytes(b);
        return Files.write(host.resolve(name), b);
    }

    @Test
    void flatFetchCopiesTheBytesAndReportsMatchingChecksums() throws Exception {
        // given: a binary file on the host (all byte values, so no text conversion can survive unnoticed)
        Path src = binaryFile("db.dump", 300_000);
        Path dest = controller.resolve("out/db.dump");
        // when
        Result r = kit.run("src", src.toString(), "dest", dest.toString(), "flat", true);
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(Files.readAllBytes(dest)).isEqualTo(Files.readAllBytes(src));
        String sha1 = FileSupport.hex("SHA-1", Files.readAllBytes(src));
        assertThat(r.data()).containsEntry("checksum", sha1).containsEntry("remote_checksum", sha1)
                .containsEntry("dest", dest.toString()).containsEntry("size", 300_000L);
    }

    @Test
    void aSecondFetchOfAnUnchangedFileIsOkAndAChangedOneIsFetchedAgain() throws Exception {
        // given
        Path src = Files.writeString(host.resolve("manifest.json"), "{\"v\": 1}\n");
        Path dest = controller.resolve("manifest.json");
        assertThat(kit.run("src", src.toString(), "dest", dest.toString(), "flat", true))
                .isInstanceOf(Result.Changed.class);
        // when
        Result second = kit.run("src", src.toString(), "dest", dest.toString(), "flat", true);
        Files.writeString(src, "{\"v\": 2}\n");
        Result third = kit.run("src", src.toString(), "dest", dest.toString(), "flat", true);
        // then
        assertThat(second).isInstanceOf(Result.Ok.class);
        assertThat(third).isInstanceOf(Result.Changed.class);
        assertThat(Files.readString(dest)).isEqualTo("{\"v\": 2}\n");
    }

    @Test
    void withoutFlatTheFileLandsUnderTheHostNameAndItsFullPath() throws Exception {
        // given
        Path src = Files.writeString(host.resolve("a.txt"), "a");
        // when
        Result r = kit.run("src", src.toString(), "dest", controller.toString());
        // then
        Path expected = Path.of(controller.toString(), "localhost", src.toString().substring(1));
        assertThat(r.data()).containsEntry("dest", expected.toString());
        assertThat(Files.readString(expected)).isEqualTo("a");
    }

    @Test
    void flatDestEndingInSlashGetsTheSourceBaseName() throws Exception {
        Path src = Files.writeString(host.resolve("volume-uploads.tar.gz"), "x");
        Result r = kit.run("src", src.toString(), "dest", controller + "/backups/", "flat", true);
        assertThat(r.data()).containsEntry("dest", controller.resolve("backups/volume-uploads.tar.gz").toString());
        assertThat(controller.resolve("backups/volume-uploads.tar.gz")).hasContent("x");
    }

    @Test
    void checkModeReportsChangedAndWritesNothing() throws Exception {
        // given
        Path src = Files.writeString(host.resolve("c"), "c");
        Path dest = controller.resolve("c");
        // when
        Result r = kit.check("src", src.toString(), "dest", dest.toString(), "flat", true);
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(dest).doesNotExist();
        assertThat(new FetchModule().checkMode()).isEqualTo(Module.CheckMode.FULL);
    }

    @Test
    void aMissingSourceFailsUnlessToldToIgnoreIt() {
        // given
        String missing = host.resolve("nope").toString();
        // when
        Result strict = kit.run("src", missing, "dest", controller.toString(), "flat", true);
        Result lenient = kit.run("src", missing, "dest", controller + "/x", "flat", true, "fail_on_missing", false);
        // then
        assertThat(strict).isInstanceOf(Result.Failed.class);
        assertThat(strict.msg()).isEqualTo("file not found: " + missing);
        assertThat(lenient).isInstanceOf(Result.Ok.class);
        assertThat(lenient.msg()).isEqualTo("the remote file does not exist, not transferring, ignored");
        assertThat(controller.resolve("x")).doesNotExist();
    }

    @Test
    void aDirectoryOrUnreadableSourceFailsWithTheReason() throws Exception {
        // given
        Path secret = Files.writeString(host.resolve("secret"), "s");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        boolean root = "root".equals(System.getProperty("user.name"));
        // when
        Result dir = kit.run("src", host.toString(), "dest", controller.toString(), "flat", true);
        Result unreadable = kit.run("src", secret.toString(), "dest", controller + "/s", "flat", true);
        // then
        assertThat(dir.msg()).isEqualTo("remote file is a directory, fetch cannot work on directories");
        if (root) {
            // root reads any file: the fetch works, which is also what the host would do
            assertThat(unreadable).isInstanceOf(Result.Changed.class);
        } else {
            assertThat(unreadable.msg()).startsWith("file is not readable: " + secret);
        }
    }

    @Test
    void aLocalCopyThatDiffersIsReplacedAtomicallyWithNoLeftovers() throws Exception {
        // given: a stale, different file at dest
        Path src = binaryFile("v", 4096);
        Path dest = Files.writeString(controller.resolve("v"), "old");
        // when
        kit.run("src", src.toString(), "dest", dest.toString(), "flat", true);
        // then
        assertThat(Files.readAllBytes(dest)).isEqualTo(Files.readAllBytes(src));
        try (var s = Files.list(controller)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("v");
        }
    }

    @Test
    void missingRequiredArgumentsAreNamedBySpec() {
        assertThat(new FetchModule().spec().validate(java.util.Map.of("src", "/x")))
                .containsExactly("missing required argument 'dest'");
    }
}
