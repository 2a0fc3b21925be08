package io.budgetctl.lifecycle.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pieces with exact expectations: argv lists, sops' dotenv metadata flattening, yaml.v3 scalar resolution. */
class SopsStoresTest {
    @Test
    void gpgArgvAreExactlyWhatSopsRuns() {
        // given
        Gpg gpg = new Gpg(new SecretsEnv(Map.of(), Path.of("/home/u")));
        Gpg custom = new Gpg(new SecretsEnv(Map.of("SOPS_GPG_EXEC", "/opt/gpg2"), Path.of("/home/u")));
        // then
        assertThat(gpg.decryptArgv()).containsExactly("gpg", "--batch", "--no-tty", "--quiet", "--yes", "--decrypt");
        assertThat(custom.encryptArgv("ABC")).containsExactly("/opt/gpg2", "--batch", "--no-tty", "--quiet", "--yes",
                "--armor", "--trust-model", "always", "--encrypt", "-r", "ABC");
    }

    @Test
    void editorRunsThroughShWithTheFileAsOneWord() {
        assertThat(SopsEditor.argv("code --wait", Path.of("/tmp/a b.yaml")))
                .containsExactly("sh", "-c", "code --wait \"$1\"", "sh", "/tmp/a b.yaml");
    }

    @Test
    void dotenvMetadataFlattensAndUnflattensLikeSops() {
        // given: the keys of format.enc.env (real sops output)
        Map<String, Object> flat = Map.of("pgp__list_0__map_fp", "FP", "pgp__list_0__map_enc", "E",
                "lastmodified", "2026-05-22T20:15:29Z", "unencrypted_suffix", "_unencrypted");
        // when
        Map<String, Object> md = DotenvStore.unflatten(flat);
        // then
        assertThat(md).containsEntry("lastmodified", "2026-05-22T20:15:29Z");
        assertThat(md.get("pgp")).isEqualTo(List.of(Map.of("fp", "FP", "enc", "E")));
        assertThat(DotenvStore.flatten(md)).containsExactly(Map.entry("lastmodified", "2026-05-22T20:15:29Z"),
                Map.entry("pgp__list_0__map_enc", "E"), Map.entry("pgp__list_0__map_fp", "FP"),
                Map.entry("unencrypted_suffix", "_unencrypted"));
    }

    @Test
    void yamlScalarsResolveAsYamlV3ResolvesThemForSops() {
        assertThat(YamlStore.resolvePlain("yes")).isEqualTo("yes");
        assertThat(YamlStore.resolvePlain("True")).isEqualTo(true);
        assertThat(YamlStore.resolvePlain("0x1F")).isEqualTo(31L);
        assertThat(YamlStore.resolvePlain("1_000")).isEqualTo(1000L);
        assertThat(YamlStore.resolvePlain("1.50")).isEqualTo(1.5);
        assertThat(YamlStore.resolvePlain("~")).isNull();
        assertThat(YamlStore.resolvePlain("2024-01-01")).isEqualTo("2024-01-01");
    }

    @Test
    void macBytesFollowGoFormatting() {
        assertThat(SopsCipher.goFormatFloat(1.0)).isEqualTo("1");
        assertThat(SopsCipher.goFormatFloat(1e21)).isEqualTo("1000000000000000000000");
        assertThat(SopsCipher.goFormatFloat(0.000001)).isEqualTo("0.000001");
        assertThat(new String(SopsCipher.toBytes(true))).isEqualTo("True");
        assertThat(new String(SopsCipher.toBytes(5432L))).isEqualTo("5432");
    }

    @Test
    void yamlKeepsCommentsInTheirMappingAndWritesThemBack() {
        // given
        String text = "# head\na:\n    # inner\n    b: 1\nc: [x, z]\n";
        // when
        List<Branch> docs = new YamlStore().loadPlain(text, "t.yaml");
        // then
        Branch root = docs.get(0);
        assertThat(root.get(0).key).isEqualTo(new Comment(" head"));
        assertThat(((Branch) root.get("a")).get(0).key).isEqualTo(new Comment(" inner"));
        assertThat(new YamlStore().emitPlain(docs)).isEqualTo("# head\na:\n    # inner\n    b: 1\nc:\n  - x\n  - z\n");
    }
}
