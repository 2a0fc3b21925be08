package io.budgetctl.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsTest {
    @TempDir
    Path dir;

    private static PublicKey rsaKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair().getPublic();
    }

    private static String line(String host, PublicKey key) {
        return host + " ssh-rsa " + Base64.getEncoder().encodeToString(KnownHosts.blob(key));
    }

    @Test
    void port_22_hosts_are_bare_and_other_ports_are_bracketed() {
        assertThat(KnownHosts.entryHost("web1", 22)).isEqualTo("web1");
        assertThat(KnownHosts.entryHost("127.0.0.1", 2222)).isEqualTo("[127.0.0.1]:2222");
    }

    @Test
    void a_bracketed_port_entry_matches_only_that_port() throws Exception {
        // given
        PublicKey key = rsaKey();
        Path kh = dir.resolve("known_hosts");
        Files.writeString(kh, "# comment\n" + line("[127.0.0.1]:2222", key) + "\n");
        KnownHosts known = new KnownHosts();

        // when / then
        assertThat(known.lookup(List.of(kh), "127.0.0.1", 2222, key).verdict()).isEqualTo(KnownHosts.Verdict.MATCH);
        assertThat(known.lookup(List.of(kh), "127.0.0.1", 22, key).verdict()).isEqualTo(KnownHosts.Verdict.UNKNOWN);
        assertThat(known.knownAlgorithms(List.of(kh), "127.0.0.1", 2222)).isNotEmpty();
    }

    @Test
    void a_hashed_entry_matches_its_host() throws Exception {
        // given: an entry as ssh-keygen -H writes it: |1|base64(salt)|base64(HMAC-SHA1(salt, host))
        PublicKey key = rsaKey();
        byte[] salt = new byte[20];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) (i * 7 + 3);
        }
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(salt, "HmacSHA1"));
        byte[] hash = mac.doFinal("db.customer.example".getBytes(StandardCharsets.US_ASCII));
        String hashed = "|1|" + Base64.getEncoder().encodeToString(salt) + "|" + Base64.getEncoder().encodeToString(hash);
        Path kh = dir.resolve("known_hosts");
        Files.writeString(kh, line(hashed, key) + "\n");

        // when / then
        KnownHosts known = new KnownHosts();
        assertThat(known.lookup(List.of(kh), "db.customer.example", 22, key).verdict())
                .isEqualTo(KnownHosts.Verdict.MATCH);
        assertThat(known.lookup(List.of(kh), "other.example", 22, key).verdict())
                .isEqualTo(KnownHosts.Verdict.UNKNOWN);
    }

    @Test
    void a_different_key_of_the_same_type_is_a_mismatch_naming_the_file() throws Exception {
        // given
        Path kh = dir.resolve("known_hosts");
        Files.writeString(kh, line("web1", rsaKey()) + "\n");

        // when
        KnownHosts.Lookup l = new KnownHosts().lookup(List.of(dir.resolve("missing"), kh), "web1", 22, rsaKey());

        // then
        assertThat(l.verdict()).isEqualTo(KnownHosts.Verdict.MISMATCH);
        assertThat(l.file()).isEqualTo(kh);
    }

    @Test
    void a_match_in_a_later_file_wins_over_a_mismatch_in_an_earlier_one() throws Exception {
        // given
        PublicKey key = rsaKey();
        Path stale = dir.resolve("stale");
        Path shipped = dir.resolve("shipped");
        Files.writeString(stale, line("web1", rsaKey()) + "\n");
        Files.writeString(shipped, line("web1", key) + "\n");

        // when / then
        assertThat(new KnownHosts().lookup(List.of(stale, shipped), "web1", 22, key).verdict())
                .isEqualTo(KnownHosts.Verdict.MATCH);
    }

    @Test
    void added_keys_are_appended_and_match_afterwards() throws Exception {
        // given
        PublicKey key = rsaKey();
        Path kh = dir.resolve("sub/known_hosts");
        KnownHosts known = new KnownHosts();

        // when
        known.add(kh, "10.1.2.3", 2200, key);

        // then
        assertThat(Files.readString(kh)).isEqualTo(line("[10.1.2.3]:2200", key) + "\n");
        assertThat(known.lookup(List.of(kh), "10.1.2.3", 2200, key).verdict()).isEqualTo(KnownHosts.Verdict.MATCH);
        assertThat(new KnownHosts().lookup(List.of(kh), "10.1.2.3", 2200, key).verdict())
                .isEqualTo(KnownHosts.Verdict.MATCH);
    }

    @Test
    void fingerprints_use_openssh_sha256_format() throws Exception {
        // given: ssh-keygen -lf prints the same fingerprint for the same key
        Path kh = dir.resolve("kh");
        PublicKey key = rsaKey();
        Files.writeString(kh, line("x", key) + "\n");
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", kh.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();

        // when / then
        assertThat(out.split(" ")[1]).isEqualTo(KnownHosts.fingerprint(key));
    }

    @Test
    void only_lines_that_can_name_the_host_are_parsed() throws Exception {
        // given
        Mac mac = Mac.getInstance("HmacSHA1");
        byte[] salt = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
        mac.init(new SecretKeySpec(salt, "HmacSHA1"));
        String hashed = "|1|" + Base64.getEncoder().encodeToString(salt) + "|"
                + Base64.getEncoder().encodeToString(mac.doFinal("[db]:2222".getBytes(StandardCharsets.UTF_8)));

        // when / then
        assertThat(KnownHosts.mayApply("web1,10.0.0.1 ssh-ed25519 AAAA", "10.0.0.1")).isTrue();
        assertThat(KnownHosts.mayApply("web1,10.0.0.1 ssh-ed25519 AAAA", "web2")).isFalse();
        assertThat(KnownHosts.mayApply("@revoked web2 ssh-ed25519 AAAA", "web2")).isTrue();
        assertThat(KnownHosts.mayApply("*.example.com ssh-ed25519 AAAA", "web2")).isTrue();
        assertThat(KnownHosts.mayApply("# web2 ssh-ed25519 AAAA", "web2")).isFalse();
        assertThat(KnownHosts.mayApply(hashed + " ssh-ed25519 AAAA", "[db]:2222")).isTrue();
        assertThat(KnownHosts.mayApply(hashed + " ssh-ed25519 AAAA", "[db]:2223")).isFalse();
    }

    @Test
    void a_key_accepted_later_is_found_by_the_next_lookup() throws Exception {
        // given: the file was read (and the host looked up) before the key was added
        PublicKey key = rsaKey();
        Path kh = dir.resolve("known_hosts");
        KnownHosts known = new KnownHosts();
        assertThat(known.lookup(List.of(kh), "db", 22, key).verdict()).isEqualTo(KnownHosts.Verdict.UNKNOWN);

        // when
        known.add(kh, "db", 22, key);

        // then
        assertThat(known.lookup(List.of(kh), "db", 22, key).verdict()).isEqualTo(KnownHosts.Verdict.MATCH);
        assertThat(Files.readString(kh)).isEqualTo(line("db", key) + "\n");
    }

    @Test
    void only_lines_of_the_offered_key_type_are_parsed_for_a_lookup() {
        assertThat(KnownHosts.mayHoldType("web1 ssh-rsa AAAA", net.schmizz.sshj.common.KeyType.ED25519)).isFalse();
        assertThat(KnownHosts.mayHoldType("web1 ssh-ed25519 AAAA", net.schmizz.sshj.common.KeyType.ED25519))
                .isTrue();
        assertThat(KnownHosts.mayHoldType("@cert-authority *.example.com ssh-rsa AAAA",
                net.schmizz.sshj.common.KeyType.ED25519)).isTrue();
        assertThat(KnownHosts.mayHoldType("web1 ssh-future-algo AAAA", net.schmizz.sshj.common.KeyType.ED25519))
                .isTrue();
    }

    @Test
    void known_algorithms_come_from_the_type_field_in_file_order_without_parsing_keys() throws Exception {
        // given: key blobs that sshj could not even decode; only the type field is read
        Path kh = dir.resolve("known_hosts");
        Files.writeString(kh, "[h]:2222 ecdsa-sha2-nistp256 AAAAnotakey\n[h]:2222 ssh-ed25519 AAAAnotakey\n"
                + "other ssh-ed25519 AAAAnotakey\n" + line("[h]:2222", rsaKey()) + "\n");
        KnownHosts known = new KnownHosts();

        // when
        List<String> algorithms = known.knownAlgorithms(List.of(kh), "h", 2222);

        // then
        assertThat(algorithms).containsExactly("ecdsa-sha2-nistp256", "ssh-ed25519", "ssh-rsa");
    }

    @Test
    void wildcard_lines_are_still_judged_by_sshj() throws Exception {
        // given
        PublicKey key = rsaKey();
        String blob = Base64.getEncoder().encodeToString(KnownHosts.blob(key));
        Path kh = dir.resolve("known_hosts");
        Files.writeString(kh, "*.example.com ssh-rsa " + blob + "\n");
        KnownHosts known = new KnownHosts();

        // when / then
        assertThat(KnownHosts.certainType("*.example.com ssh-rsa " + blob, "web.example.com")).isNull();
        assertThat(known.knownAlgorithms(List.of(kh), "web.example.com", 22)).containsExactly("ssh-rsa");
        assertThat(known.knownAlgorithms(List.of(kh), "web.example.org", 22)).isEmpty();
        assertThat(known.lookup(List.of(kh), "web.example.com", 22, key).verdict())
                .isEqualTo(KnownHosts.Verdict.MATCH);
    }
}
