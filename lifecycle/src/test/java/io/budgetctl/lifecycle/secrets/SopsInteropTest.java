package io.budgetctl.lifecycle.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our SOPS reader against files the real sops wrote (src/test/resources/secrets, see its README), with the data key
 * decrypted by the real gpg from a private GNUPGHOME.
 */
class SopsInteropTest {
    @TempDir
    Path dir;
    Sops sops;

    @BeforeEach
    void gnupg() throws Exception {
        Path home = TestKeys.gnupgHomeWithTestKey(dir);
        sops = new Sops(TestKeys.env(dir, Map.of("GNUPGHOME", home.toString())));
    }

    @Test
    void decryptsSopsYamlWrittenBySops313() throws Exception {
        // given
        Path file = TestKeys.resource("format.enc.yaml", dir);
        // when
        SopsDocument doc = sops.decrypt(file);
        // then
        assertThat(doc.data()).containsExactly(Map.entry("foo", "bar"));
        assertThat(doc.plaintext()).isEqualTo("foo: bar\n");
    }

    @Test
    void decryptsSopsDotenv() throws Exception {
        // given
        Path file = TestKeys.resource("format.enc.env", dir);
        // when
        SopsDocument doc = sops.decrypt(file);
        // then: sops' dotenv store keeps everything around '=' (the source line was "foo = bar")
        assertThat(doc.data()).containsExactly(Map.entry("foo ", " bar"));
        assertThat(doc.plaintext()).isEqualTo("foo = bar\n");
    }

    @Test
    void decryptsEncryptedCommentsOfSops36File() throws Exception {
        // given
        Path file = TestKeys.resource("comments.enc.yaml", dir);
        // when
        SopsDocument doc = sops.decrypt(file);
        // then
        assertThat(doc.data()).containsExactly(Map.entry("lorem", "ipsum"), Map.entry("dolor", "sit"));
        assertThat(doc.plaintext()).isEqualTo(
                "# first comment in file\nlorem: ipsum\n# this-is-a-comment\ndolor: sit\n");
    }

    @Test
    void refusesFileWithoutMacUnlessTold() throws Exception {
        // given
        Path file = TestKeys.resource("no_mac.yaml", dir);
        // when / then
        assertThatThrownBy(() -> sops.decrypt(file))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("has no MAC")
                .satisfies(e -> assertThat(((EngineException) e).hint()).contains("--ignore-mac"));
        assertThat(sops.decrypt(file, true).lookup("myapp1")).contains("t00m4nys3cr3tzupdated");
    }

    @Test
    void refusesValueSwappedForAnotherValidCiphertext() throws Exception {
        // given: the encrypted comment of line 1 moved into 'lorem' - decrypts fine with AAD? no: the path differs
        Path file = TestKeys.resource("comments.enc.yaml", dir);
        String text = Files.readString(file);
        String lorem = text.lines().filter(l -> l.startsWith("lorem: ")).findFirst().orElseThrow();
        String dolor = text.lines().filter(l -> l.startsWith("dolor: ")).findFirst().orElseThrow();
        Files.writeString(file, text.replace(lorem, "lorem: " + dolor.substring(7)));
        // when / then
        assertThatThrownBy(() -> sops.decrypt(file))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("'lorem'");
    }

    @Test
    void refusesFileWhoseValuesDoNotMatchTheMac() throws Exception {
        // given: a value replaced by a correctly encrypted different value (same key, same path) - only the MAC sees it
        Path file = TestKeys.resource("format.enc.yaml", dir);
        SopsDocument doc = sops.decrypt(file);
        String forged = SopsCipher.encrypt("evil", doc.dataKey(), "foo:");
        String text = Files.readString(file);
        String line = text.lines().filter(l -> l.startsWith("foo: ")).findFirst().orElseThrow();
        Files.writeString(file, text.replace(line, "foo: " + forged));
        // when / then
        assertThatThrownBy(() -> sops.decrypt(file))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("MAC mismatch");
    }

    @Test
    void refusesFileWhoseLastModifiedWasChanged() throws Exception {
        // given
        Path file = TestKeys.resource("format.enc.yaml", dir);
        String text = Files.readString(file);
        Files.writeString(file, text.replace("2026-05-22T20:16:23Z", "2026-05-22T20:16:24Z"));
        // when / then
        assertThatThrownBy(() -> sops.decrypt(file)).isInstanceOf(EngineException.class)
                .hasMessageContaining("MAC mismatch");
    }

    @Test
    void saysHowToGetAKeyWhenGpgHasNone() throws Exception {
        // given: an empty GNUPGHOME
        Path empty = Files.createDirectories(dir.resolve("empty-gnupg"));
        Sops noKeys = new Sops(TestKeys.env(dir, Map.of("GNUPGHOME", empty.toString())));
        Path file = TestKeys.resource("format.enc.yaml", dir);
        // when / then
        assertThatThrownBy(() -> noKeys.decrypt(file))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("cannot decrypt the data key")
                .hasMessageContaining(TestKeys.SOPS_TEST_FP)
                .satisfies(e -> assertThat(((EngineException) e).hint()).contains("GNUPGHOME"));
    }
}
