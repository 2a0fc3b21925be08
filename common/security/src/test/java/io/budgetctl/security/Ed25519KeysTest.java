package io.budgetctl.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 8032 section 7.1, test 1: its public key as a .pub file, its signature over the empty message. */
class Ed25519KeysTest {
    /** base64 of 302a300506032b6570032100 (the X.509 prefix) + the RFC's 32-byte public key, as `keygen` writes it. */
    static final String RFC_PUB = "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    static final byte[] RFC_SIGNATURE = HexFormat.of().parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e0"
            + "65224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

    @Test
    void readsAPubFileWithItsNewlineAndComputesTheKeyIdFromTheX509Encoding() {
        // when
        PublicKey key = Ed25519Keys.publicKey("  " + RFC_PUB + "\n");

        // then: the id is the first 16 hex digits of sha256sum over the 44 DER bytes (computed with coreutils)
        assertThat(key.getAlgorithm()).isIn("Ed25519", "EdDSA");
        assertThat(Base64.getEncoder().encodeToString(key.getEncoded())).isEqualTo(RFC_PUB);
        assertThat(Ed25519Keys.keyId(key)).isEqualTo("06e3fd8fda29bb60");
    }

    @Test
    void verifiesTheRfcSignatureAndNothingElse() {
        PublicKey key = Ed25519Keys.publicKey(RFC_PUB);

        assertThat(Ed25519Keys.verify(key, new byte[0], RFC_SIGNATURE)).isTrue();
        assertThat(Ed25519Keys.verify(key, new byte[] {0}, RFC_SIGNATURE)).isFalse();
        assertThat(Ed25519Keys.verify(key, new byte[0], new byte[3])).isFalse();
    }

    @Test
    void refusesTextThatIsNotABase64Ed25519Key() throws Exception {
        String rsa = Base64.getEncoder().encodeToString(
                KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic().getEncoded());

        assertThatThrownBy(() -> Ed25519Keys.publicKey("not base64!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ed25519Keys.publicKey(rsa)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an Ed25519 public key");
        assertThatThrownBy(() -> Ed25519Keys.publicKey("")).isInstanceOf(IllegalArgumentException.class);
    }
}
