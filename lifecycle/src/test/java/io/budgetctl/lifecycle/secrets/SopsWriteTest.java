package io.budgetctl.lifecycle.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypt and rotate for .sops.yaml recipients. What we write is checked by reading it back AND by handing its age
 * stanza to the real {@code age -d}: the data key it yields must decrypt the values with plain AES-GCM and the path
 * as additional data (the JDK's cipher, not our reader).
 */
class SopsWriteTest {
    private static final Pattern AGE_ENC = Pattern.compile(
            "-----BEGIN AGE ENCRYPTED FILE-----.*?-----END AGE ENCRYPTED FILE-----", Pattern.DOTALL);
    @TempDir
    Path dir;
    Path key;
    String recipient;
    Sops sops;

    @BeforeEach
    void ageKey() throws Exception {
        key = dir.resolve("keys.txt");
        assertThat(TestKeys.run(Map.of(), null, "age-keygen", "-o", key.toString()).exit()).isZero();
        recipient = TestKeys.run(Map.of(), null, "age-keygen", "-y", key.toString()).outText().strip();
        sops = new Sops(TestKeys.env(dir, Map.of("SOPS_AGE_KEY_FILE", key.toString())));
        Files.writeString(dir.resolve(".sops.yaml"), "creation_rules:\n"
                + "  - path_regex: secrets/.*\\.sops\\.(yaml|json|env)$\n"
                + "    age: " + recipient + "\n");
        Files.createDirectories(dir.resolve("secrets"));
    }

    private byte[] dataKeyByRealAge(String encryptedFileText) throws Exception {
        Matcher m = AGE_ENC.matcher(encryptedFileText.replace("\\n", "\n"));
        assertThat(m.find()).as("age stanza in\n" + encryptedFileText).isTrue();
        String armored = m.group().lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElseThrow() + "\n";
        TestKeys.Result r = TestKeys.run(Map.of(), armored.getBytes(StandardCharsets.US_ASCII), "age", "-d", "-i",
                key.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out();
    }

    private static String aesGcmOpen(String enc, byte[] dataKey, String aad) throws Exception {
        Matcher m = Pattern.compile("ENC\\[AES256_GCM,data:([^,]*),iv:([^,]*),tag:([^,]*),type:(\\w+)]").matcher(enc);
        assertThat(m.find()).isTrue();
        Base64.Decoder d = Base64.getDecoder();
        byte[] data = d.decode(m.group(1));
        byte[] tag = d.decode(m.group(3));
        byte[] both = new byte[data.length + tag.length];
        System.arraycopy(data, 0, both, 0, data.length);
        System.arraycopy(tag, 0, both, data.length, tag.length);
        javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        c.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(dataKey, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, d.decode(m.group(2))));
        c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
        return new String(c.doFinal(both), StandardCharsets.UTF_8);
    }

    @Test
    void encryptsYamlInPlaceForTheSopsYamlRecipient() throws Exception {
        // given
        Path file = dir.resolve("secrets/acme.sops.yaml");
        Files.writeString(file, "# database\ndb:\n    password: s3cr3t\n    port: 5432\n    host_unencrypted: db.local\n"
                + "flags:\n    - true\n    - 1.5\nempty: ''\n");
        // when
        sops.encryptFile(file);
        String text = Files.readString(file);
        // then: nothing secret in clear, the unencrypted_suffix key kept in clear
        assertThat(text).doesNotContain("s3cr3t").doesNotContain("5432").contains("host_unencrypted: db.local")
                .contains("recipient: " + recipient).contains("mac: ENC[AES256_GCM,");
        // and the real age gives the data key that opens the values with their paths as AAD
        byte[] dataKey = dataKeyByRealAge(text);
        String passwordLine = text.lines().filter(l -> l.strip().startsWith("password:")).findFirst().orElseThrow();
        assertThat(aesGcmOpen(passwordLine, dataKey, "db:password:")).isEqualTo("s3cr3t");
        String portLine = text.lines().filter(l -> l.strip().startsWith("port:")).findFirst().orElseThrow();
        assertThat(portLine).contains("type:int");
        assertThat(aesGcmOpen(portLine, dataKey, "db:port:")).isEqualTo("5432");
        // and our reader gives the document back, types and comment included
        SopsDocument doc = sops.decrypt(file);
        assertThat(doc.lookup("db.password")).contains("s3cr3t");
        assertThat(doc.lookup("db.port")).contains(5432L);
        assertThat(doc.lookup("flags.0")).contains(true);
        assertThat(doc.lookup("flags.1")).contains(1.5);
        assertThat(doc.plaintext()).startsWith("# database\ndb:\n").contains("password: s3cr3t");
    }

    @Test
    void encryptsJsonAndDotenvToo() throws Exception {
        // given
        Path json = dir.resolve("secrets/acme.sops.json");
        Files.writeString(json, "{\"db\": {\"password\": \"pw\", \"port\": 5432}, \"list\": [\"a\", 2]}");
        Path env = dir.resolve("secrets/acme.sops.env");
        Files.writeString(env, "# comment\nDB_PASSWORD=pw2\nMULTI=a\\nb\n");
        // when
        sops.encryptFile(json);
        sops.encryptFile(env);
        // then
        assertThat(Files.readString(json)).doesNotContain("\"pw\"").contains("\"sops\"");
        assertThat(sops.decrypt(json).lookup("db.password")).contains("pw");
        assertThat(sops.decrypt(json).lookup("db.port")).contains(5432.0);
        assertThat(sops.decrypt(json).lookup("list.1")).contains(2.0);
        String envText = Files.readString(env);
        assertThat(envText).doesNotContain("pw2").contains("sops_age__list_0__map_recipient=" + recipient)
                .contains("sops_mac=ENC[");
        byte[] dataKey = dataKeyByRealAge(envText);
        String line = envText.lines().filter(l -> l.startsWith("DB_PASSWORD=")).findFirst().orElseThrow();
        assertThat(aesGcmOpen(line, dataKey, "DB_PASSWORD:")).isEqualTo("pw2");
        assertThat(envText).startsWith("#ENC[AES256_GCM,").doesNotContain("# comment");
        assertThat(sops.decrypt(env).plaintext()).startsWith("# comment\nDB_PASSWORD=pw2\nMULTI=a\\nb\n");
        assertThat(sops.decrypt(env).data()).containsEntry("MULTI", "a\nb").containsEntry("DB_PASSWORD", "pw2");
    }

    @Test
    void honoursEncryptedRegexFromSopsYaml() throws Exception {
        // given
        Files.writeString(dir.resolve(".sops.yaml"), "creation_rules:\n  - encrypted_regex: '^(password|token)$'\n"
                + "    age: [" + recipient + "]\n");
        Path file = dir.resolve("secrets/x.yaml");
        Files.writeString(file, "user: admin\npassword: hunter2\nnested:\n    token: t0k\n    label: nm\n");
        // when
        sops.encryptFile(file);
        // then
        String text = Files.readString(file);
        assertThat(text).contains("user: admin").contains("label: nm").doesNotContain("hunter2").doesNotContain("t0k")
                .contains("encrypted_regex: ^(password|token)$");
        assertThat(sops.decrypt(file).data()).containsEntry("password", "hunter2");
    }

    @Test
    void rotatesToANewDataKeyForTheRecipientsSopsYamlNamesNow() throws Exception {
        // given: a file for recipient A; then .sops.yaml switches to recipient B
        Path file = dir.resolve("secrets/acme.sops.yaml");
        Files.writeString(file, "password: pw\n");
        sops.encryptFile(file);
        byte[] oldKey = sops.decrypt(file).dataKey();
        Path keyB = dir.resolve("b.txt");
        assertThat(TestKeys.run(Map.of(), null, "age-keygen", "-o", keyB.toString()).exit()).isZero();
        String recipientB = TestKeys.run(Map.of(), null, "age-keygen", "-y", keyB.toString()).outText().strip();
        Files.writeString(dir.resolve(".sops.yaml"), "creation_rules:\n  - age: " + recipientB + "\n");
        // when
        sops.rotate(file, false);
        // then: A can no longer read it, B can, and the data key changed
        String text = Files.readString(file);
        assertThat(text).contains(recipientB).doesNotContain(recipient);
        assertThatThrownBy(() -> sops.decrypt(file)).isInstanceOf(EngineException.class)
                .hasMessageContaining("no identity matched");
        Sops asB = new Sops(TestKeys.env(dir, Map.of("SOPS_AGE_KEY_FILE", keyB.toString())));
        SopsDocument doc = asB.decrypt(file);
        assertThat(doc.lookup("password")).contains("pw");
        assertThat(doc.dataKey()).isNotEqualTo(oldKey);
    }

    @Test
    void reencryptsAnEditKeepingTheDataKey() throws Exception {
        // given
        Path file = dir.resolve("secrets/acme.sops.yaml");
        Files.writeString(file, "password: pw\n");
        sops.encryptFile(file);
        SopsDocument before = sops.decrypt(file);
        // when
        sops.reencrypt(before, "password: pw\nextra: added\n");
        // then
        SopsDocument after = sops.decrypt(file);
        assertThat(after.data()).containsEntry("extra", "added");
        assertThat(after.dataKey()).isEqualTo(before.dataKey());
    }

    @Test
    void refusesToEncryptTwiceOrWithoutSopsYaml() throws Exception {
        // given
        Path file = dir.resolve("secrets/a.sops.yaml");
        Files.writeString(file, "a: b\n");
        sops.encryptFile(file);
        Path elsewhere = Files.createTempFile("nosops", ".yaml");
        Files.writeString(elsewhere, "a: b\n");
        try {
            // when / then
            assertThatThrownBy(() -> sops.encryptFile(file)).hasMessageContaining("already encrypted");
            assertThatThrownBy(() -> sops.encryptFile(elsewhere)).hasMessageContaining("no .sops.yaml found");
        } finally {
            Files.delete(elsewhere);
        }
    }

    @Test
    void saysWhereItLookedWhenThereIsNoAgeIdentity() throws Exception {
        // given
        Path file = dir.resolve("secrets/a.sops.yaml");
        Files.writeString(file, "a: b\n");
        sops.encryptFile(file);
        Sops nobody = new Sops(TestKeys.env(dir, Map.of()));
        // when / then
        assertThatThrownBy(() -> nobody.decrypt(file)).isInstanceOf(EngineException.class)
                .hasMessageContaining("no age identity found")
                .satisfies(e -> assertThat(((EngineException) e).hint())
                        .startsWith("no age identity found: set SOPS_AGE_KEY_FILE"));
    }

    @Test
    void readsTheIdentityFromSopsAgeKeyAndTheDefaultKeysFile() throws Exception {
        // given
        Path file = dir.resolve("secrets/a.sops.yaml");
        Files.writeString(file, "a: b\n");
        sops.encryptFile(file);
        String keyText = Files.readString(key);
        Path xdg = Files.createDirectories(dir.resolve("xdg2/sops/age"));
        Files.writeString(xdg.resolve("keys.txt"), keyText);
        // when
        Sops viaVariable = new Sops(TestKeys.env(dir, Map.of("SOPS_AGE_KEY", keyText)));
        Sops viaDefault = new Sops(TestKeys.env(dir, Map.of("XDG_CONFIG_HOME", dir.resolve("xdg2").toString())));
        // then
        assertThat(viaVariable.decrypt(file).data()).containsEntry("a", "b");
        assertThat(viaDefault.decrypt(file).data()).containsEntry("a", "b");
    }

    @Test
    void writesPgpRecipientsWithGpg() throws Exception {
        // given: the sops test key in a private GNUPGHOME, .sops.yaml naming its fingerprint
        Path gnupg = TestKeys.gnupgHomeWithTestKey(dir);
        Sops withGpg = new Sops(TestKeys.env(dir, Map.of("GNUPGHOME", gnupg.toString())));
        Files.writeString(dir.resolve(".sops.yaml"), "creation_rules:\n  - pgp: " + TestKeys.SOPS_TEST_FP + "\n");
        Path file = dir.resolve("secrets/p.yaml");
        Files.writeString(file, "k: v\n");
        // when
        withGpg.encryptFile(file);
        // then
        assertThat(Files.readString(file)).contains("fp: " + TestKeys.SOPS_TEST_FP).contains("BEGIN PGP MESSAGE");
        assertThat(withGpg.decrypt(file).data()).isEqualTo(Map.of("k", "v"));
        assertThat(List.of(withGpg.decrypt(file).format())).containsExactly(SopsFormat.YAML);
    }
}
