package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.template.SecretFlow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SecretLedgerTest {
    private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\n"
            + "QyNTUxOQAAACDk2lGx8mV0e9\n-----END OPENSSH PRIVATE KEY-----\n";

    @Test
    void aKeyFromAYamlBlockIsMaskedWithoutItsNewlineAndLineByLine() {
        // given a key that ends in a newline, as a YAML | block gives it
        SecretLedger ledger = new SecretLedger();
        ledger.addAll(List.of(Secret.of(KEY)));
        Map<String, Object> result = Map.of("stdout", KEY.strip(), "stdout_lines", List.of(KEY.strip().split("\n")),
                "checksum", sha1(KEY), "b64", java.util.Base64.getEncoder().encodeToString(KEY.getBytes(
                        StandardCharsets.UTF_8)));

        // when
        Map<String, Object> shown = Masking.mask(result, false, ledger.maskValues());

        // then
        assertThat(shown.toString()).doesNotContain("b3BlbnNzaC1rZXktdjEAAAAABG5vbmU")
                .doesNotContain("QyNTUxOQAAACDk2lGx8mV0e9").doesNotContain(sha1(KEY));
        assertThat(shown.get("stdout")).isEqualTo(Secret.MASK);
        assertThat(shown.get("checksum")).isEqualTo(Secret.MASK);
    }

    @Test
    void aRenderedTextAroundASecretHasOnlyItsDigestsMasked() {
        // given copy content "password={{ pw }}\n": the password is a secret, the rendered content's checksum too
        SecretLedger ledger = new SecretLedger();
        ledger.addAll(List.of(Secret.of("s3cret-pw")));
        ledger.derived("password=s3cret-pw\n", SecretFlow.Form.DIGESTS);

        // when
        Set<String> mask = ledger.maskValues();

        // then the text shows with the password masked, the checksum of the whole content is masked
        assertThat(Masking.text("wrote password=s3cret-pw\n", mask)).isEqualTo("wrote password=********\n");
        assertThat(Masking.text("checksum " + sha1("password=s3cret-pw\n"), mask)).isEqualTo("checksum ********");
        assertThat(ledger.known()).doesNotContain("password=s3cret-pw\n");
    }

    @Test
    void aSecretShowsAsItsMaskedTextOrAsTheMaskAlone() {
        // given
        Set<String> mask = Masking.values(List.of(Secret.of("s3cret-pw")));

        // when / then: context stays when the mask set covers the secret part; otherwise nothing is shown
        assertThat(Masking.display(Secret.of("s3cret-pw-suffix"), mask)).isEqualTo("********-suffix");
        assertThat(Masking.display(Secret.of("unrelated-but-secret"), mask)).isEqualTo(Secret.MASK);
        assertThat(Masking.display(Secret.of("ab"), mask)).isEqualTo(Secret.MASK);
    }

    @Test
    void aFactDerivedFromASecretShowsWithItsSecretPartMasked() {
        // given the password, and a fact set to "{{ pw }}-suffix" (found among the next task's variables)
        SecretLedger ledger = new SecretLedger();
        ledger.addAll(List.of(Secret.of("s3cret-pw"), Secret.derived("s3cret-pw-suffix")));

        // when
        Map<String, Object> shown = Masking.mask(Map.of("copied", Secret.derived("s3cret-pw-suffix")), false,
                ledger.maskValues());

        // then
        assertThat(shown).containsEntry("copied", "********-suffix");
    }

    @Test
    void aSecretNotYetFetchedIsNeitherFetchedNorLookedFor() {
        // given another customer's secret whose key this run does not have
        AtomicInteger fetched = new AtomicInteger();
        SecretLedger ledger = new SecretLedger();
        ledger.addAll(List.of(Secret.lazy(() -> {
            fetched.incrementAndGet();
            return "never-used";
        })));

        // when
        Set<String> mask = ledger.maskValues();

        // then
        assertThat(fetched).hasValue(0);
        assertThat(mask).isEmpty();
    }

    @Test
    void whatAFilterComputedIsMaskedLineByLineAndInItsOutputForms() {
        // given `key | upper` (a filter's output: every line of it is secret) and a printed expression
        SecretLedger ledger = new SecretLedger();
        ledger.derived(KEY.toUpperCase(), SecretFlow.Form.LINES);
        ledger.derived("user=admin\npassword=X1y2z3", SecretFlow.Form.WHOLE);

        // when
        Set<String> mask = ledger.maskValues();

        // then
        assertThat(mask).contains("QYNTUXOQAAACDK2LGX8MV0E9", KEY.toUpperCase().strip());
        assertThat(mask).doesNotContain("user=admin"); // a line of mixed text is not secret by itself
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(
                    StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
