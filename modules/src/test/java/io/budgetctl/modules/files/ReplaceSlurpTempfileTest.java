package io.budgetctl.modules.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** replace, slurp and tempfile on a real local connection; their Ansible parity is case 46 of the differential IT. */
class ReplaceSlurpTempfileTest {
    @TempDir
    Path dir;

    private final FileModuleTestKit replace = new FileModuleTestKit(new ReplaceModule(), null);
    private final FileModuleTestKit slurp = new FileModuleTestKit(new SlurpModule(), null);
    private final FileModuleTestKit tempfile = new FileModuleTestKit(new TempfileModule(), null);

    @Test
    void replaceEditsEveryMatchOnceAndThenNothing() throws Exception {
        // given
        Path f = Files.writeString(dir.resolve("app.conf"), "host = a\r\nport = 1\nhost = b\n");
        // when
        Result first = replace.run("path", f.toString(), "regexp", "^host = (?P<h>.*)$", "replace", "host = x-\\g<h>");
        String afterFirst = FileModuleTestKit.read(f);
        Result second = replace.run("path", f.toString(), "regexp", "^host = (x-.*)$", "replace", "host = \\1");
        // then: only \n ends a line, as in Python, so the \r stays part of the first value
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(first.msg()).isEqualTo("2 replacements made");
        assertThat(afterFirst).isEqualTo("host = x-a\r\nport = 1\nhost = x-b\n");
        assertThat(second).isInstanceOf(Result.Ok.class);
        assertThat(FileModuleTestKit.read(f)).isEqualTo(afterFirst);
    }

    @Test
    void replaceOnlyBetweenAfterAndBefore() throws Exception {
        // given
        Path f = Files.writeString(dir.resolve("ini"), "[a]\nk=1\n[b]\nk=1\n[c]\nk=1\n");
        // when
        Result r = replace.run("path", f.toString(), "after", "\\[b\\]", "before", "\\[c\\]", "regexp", "^k=1$",
                "replace", "k=2");
        Result nowhere = replace.run("path", f.toString(), "after", "\\[z\\]", "regexp", "k", "replace", "x");
        // then
        assertThat(r.msg()).isEqualTo("1 replacements made");
        assertThat(FileModuleTestKit.read(f)).isEqualTo("[a]\nk=1\n[b]\nk=2\n[c]\nk=1\n");
        assertThat(nowhere).isInstanceOf(Result.Ok.class);
        assertThat(nowhere.msg()).startsWith("Pattern for before/after params did not match the given file: ");
    }

    @Test
    void replaceRefusesWhatItCannotDo() throws Exception {
        // given
        Path f = Files.writeString(dir.resolve("f"), "abc\n");
        // when
        Result missing = replace.run("path", dir.resolve("nope").toString(), "regexp", "a");
        Result directory = replace.run("path", dir.toString(), "regexp", "a");
        Result badGroup = replace.run("path", f.toString(), "regexp", "(a)", "replace", "\\2");
        Result badRegex = replace.run("path", f.toString(), "regexp", "(a");
        // then: the file is left alone
        assertThat(missing.msg()).isEqualTo("Path " + dir.resolve("nope") + " does not exist !");
        assertThat(directory.msg()).isEqualTo("Path " + dir + " is a directory !");
        assertThat(badGroup).isInstanceOf(Result.Failed.class);
        assertThat(badGroup.msg()).contains("invalid group reference 2");
        assertThat(badRegex.msg()).startsWith("invalid regular expression in regexp '(a'");
        assertThat(FileModuleTestKit.read(f)).isEqualTo("abc\n");
    }

    @Test
    void replaceInCheckModeChangesNothing() throws Exception {
        // given
        Path f = Files.writeString(dir.resolve("f"), "abc\n");
        // when
        Result r = replace.check("path", f.toString(), "regexp", "b", "replace", "B");
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(FileModuleTestKit.read(f)).isEqualTo("abc\n");
    }

    @Test
    void slurpGivesTheBytesInBase64() throws Exception {
        // given: bytes that are not text, and template text
        byte[] bytes = {0, (byte) 0xff, '{', '{', ' ', 'x', ' ', '}', '}', '\n'};
        Path f = Files.write(dir.resolve("blob"), bytes);
        // when
        Result r = slurp.run("src", f.toString());
        Result missing = slurp.run("path", dir.resolve("nope").toString());
        Result directory = slurp.run("src", dir.toString());
        // then
        assertThat(r).isInstanceOf(Result.Ok.class);
        assertThat(Base64.getDecoder().decode((String) r.data().get("content"))).isEqualTo(bytes);
        assertThat(r.data()).containsEntry("encoding", "base64").containsEntry("source", f.toString());
        assertThat(missing.msg()).isEqualTo("file not found: " + dir.resolve("nope"));
        assertThat(directory.msg()).isEqualTo("source is a directory and must be a file: " + dir);
    }

    @Test
    void tempfileMakesPrivateUniqueFilesAndDirectories() throws Exception {
        // when
        Result file = tempfile.run("path", dir.toString(), "prefix", "itbm.", "suffix", ".conf");
        Result file2 = tempfile.run("path", dir.toString(), "prefix", "itbm.", "suffix", ".conf");
        Result directory = tempfile.run("path", dir.toString(), "state", "directory");
        Result slash = tempfile.run("path", dir.toString(), "prefix", "../x");
        // then
        Path f = Path.of((String) file.data().get("path"));
        Path d = Path.of((String) directory.data().get("path"));
        assertThat(file).isInstanceOf(Result.Changed.class);
        assertThat(f.getParent()).isEqualTo(dir);
        assertThat(f.getFileName().toString()).matches("itbm\\.[A-Za-z0-9]{8}\\.conf");
        assertThat(file2.data().get("path")).isNotEqualTo(file.data().get("path"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(Files.isDirectory(d)).isTrue();
        assertThat(d.getFileName().toString()).startsWith("ansible.");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).isEqualTo("rwx------");
        assertThat(slash).isInstanceOf(Result.Failed.class);
        assertThat(slash.msg()).contains("cannot contain '/'");
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.UTF_8)).isEmpty();
    }
}
