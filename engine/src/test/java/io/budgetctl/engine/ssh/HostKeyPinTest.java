package io.budgetctl.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostKeyPinTest {
    @TempDir
    Path dir;

    private static PublicKey publicKey(String line) {
        try {
            return new Buffer.PlainBuffer(Base64.getDecoder().decode(line.split(" ")[1])).readPublicKey();
        } catch (Buffer.BufferException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_key_line_of_each_type_parses_with_ssh_keygens_fingerprint() throws Exception {
        for (String type : List.of("ed25519", "ecdsa", "rsa")) {
            // given
            Path key = SshKeys.generate(dir, "id_" + type, type, "");
            String line = SshKeys.publicLine(key);

            // when
            HostKeyPin pin = HostKeyPin.parse(line);

            // then
            assertThat(pin.type()).isEqualTo(line.split(" ")[0]);
            assertThat(pin.fingerprint()).isEqualTo(SshKeys.fingerprint(key));
            assertThat(pin.matches(publicKey(line))).isTrue();
        }
    }

    @Test
    void only_the_pinned_key_matches() throws Exception {
        // given two ed25519 keys
        String pinned = SshKeys.publicLine(SshKeys.generate(dir, "a", "ed25519", ""));
        String other = SshKeys.publicLine(SshKeys.generate(dir, "b", "ed25519", ""));

        // when
        HostKeyPin pin = HostKeyPin.parse(pinned);

        // then
        assertThat(pin.matches(publicKey(other))).isFalse();
        assertThat(pin.matches(publicKey(pinned))).isTrue();
    }

    @Test
    void a_trailing_comment_and_spaces_are_allowed() throws Exception {
        // given
        Path key = SshKeys.generate(dir, "k", "ed25519", "");

        // when
        HostKeyPin pin = HostKeyPin.parse("  " + SshKeys.text(key.resolveSibling("k.pub")));

        // then
        assertThat(pin.fingerprint()).isEqualTo(SshKeys.fingerprint(key));
    }

    @Test
    void the_server_is_asked_for_the_pinned_type_and_rsa_for_its_sha2_signatures() throws Exception {
        // given / when
        HostKeyPin ed = HostKeyPin.parse(SshKeys.publicLine(SshKeys.generate(dir, "e", "ed25519", "")));
        HostKeyPin ec = HostKeyPin.parse(SshKeys.publicLine(SshKeys.generate(dir, "c", "ecdsa", "")));
        HostKeyPin rsa = HostKeyPin.parse(SshKeys.publicLine(SshKeys.generate(dir, "r", "rsa", "")));

        // then
        assertThat(ed.algorithms()).containsExactly("ssh-ed25519");
        assertThat(ec.algorithms()).containsExactly("ecdsa-sha2-nistp256");
        assertThat(rsa.algorithms()).containsExactly("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa");
    }

    @Test
    void the_example_repositorys_pins_are_real_keys() {
        for (String line : List.of(
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICHVk/qMBe3WhaOHMIGICSkejkZmiNZ7JX6J4PgQ14Wq",
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIODZ70Ky8FudlwRFwdHaH89LXosYCOV5MHkLO7AFWeo5",
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAcGCK35LWi+TozenJqRRtyfop7edbfztxuVuLTlV+/k",
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHs8hgo0dsGYadAryFIQVVxeo41/lGdGAKbsK6ItwUSS")) {
            assertThat(HostKeyPin.parse(line).type()).isEqualTo("ssh-ed25519");
        }
    }

    @Test
    void broken_lines_are_refused_with_a_reason() throws Exception {
        // given
        String good = SshKeys.publicLine(SshKeys.generate(dir, "k", "ed25519", ""));
        String ecdsa = SshKeys.publicLine(SshKeys.generate(dir, "c", "ecdsa", ""));
        String b64 = good.split(" ")[1];

        // when / then
        assertThatThrownBy(() -> HostKeyPin.parse("")).hasMessage("it is empty");
        assertThatThrownBy(() -> HostKeyPin.parse(b64)).hasMessageContaining("needs the key type and the base64 key");
        assertThatThrownBy(() -> HostKeyPin.parse("ssh-dss " + b64)).hasMessageContaining("'ssh-dss' is not a host"
                + " key type budgetctl can pin");
        assertThatThrownBy(() -> HostKeyPin.parse("ssh-ed25519 not*base64")).hasMessage("the key is not valid base64");
        assertThatThrownBy(() -> HostKeyPin.parse("ecdsa-sha2-nistp256 " + b64))
                .hasMessage("the line says ecdsa-sha2-nistp256 but the key inside is 'ssh-ed25519'");
        assertThatThrownBy(() -> HostKeyPin.parse("ssh-ed25519 " + ecdsa.split(" ")[1]))
                .hasMessage("the line says ssh-ed25519 but the key inside is 'ecdsa-sha2-nistp256'");
        assertThatThrownBy(() -> HostKeyPin.parse("ssh-ed25519 " + b64.substring(0, 40)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cut short");
        assertThatThrownBy(() -> HostKeyPin.parse("ssh-ed25519 " + Base64.getEncoder().encodeToString(
                "hello world".getBytes()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an SSH public key");
        byte[] longer = java.util.Arrays.copyOf(Base64.getDecoder().decode(b64), 60);
        assertThatThrownBy(() -> HostKeyPin.parse("ssh-ed25519 " + Base64.getEncoder().encodeToString(longer)))
                .hasMessage("the ssh-ed25519 key has extra or missing bytes");
    }
}
