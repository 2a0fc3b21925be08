package io.budgetctl.lifecycle.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
    private static final String PW = "s3cr3t pass/word+1";
    private static final String PEM = "-----BEGIN OPENSSH PRIVATE KEY-----\n"
            + "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
            + "QyNTUxOQAAACDJ9dGsfTpp3cYyVA8q2bHvGvQ3w1vwZ0ixXhzAGxyUDAAAAJi3Hm7Htx5u\n"
            + "-----END OPENSSH PRIVATE KEY-----\n";

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theValueAndItsTrimmedBase64AndUrlEncodedFormsAreMasked() {
        // given
        Redactor r = Redactor.of(List.of(" " + PW + "\n"));
        String text = String.join("|", "raw " + PW, "padded  " + PW + "\n", "b64 " + b64(PW),
                "b64 of echo " + b64(PW + "\n"), "b64 of raw " + b64(" " + PW + "\n"),
                "unpadded " + b64(PW).replace("=", ""),
                "urlsafe " + Base64.getUrlEncoder().withoutPadding().encodeToString(PW.getBytes(StandardCharsets.UTF_8)),
                "url " + URLEncoder.encode(PW, StandardCharsets.UTF_8),
                "url20 " + URLEncoder.encode(PW, StandardCharsets.UTF_8).replace("+", "%20"));
        // when
        Redactor.Redacted out = r.redactCounting(text);
        // then
        assertThat(out.text()).doesNotContain(PW).doesNotContain("s3cr3t").doesNotContain(b64(PW).substring(0, 12))
                .doesNotContain("s3cr3t+pass").doesNotContain("s3cr3t%20pass");
        assertThat(out.text()).startsWith("raw ********|padded ********|");
        assertThat(out.replacements()).isEqualTo(9);
    }

    @Test
    void aMultiLineKeyIsMaskedWholeLineByLineAndJsonEscaped() {
        // given: the key in a file, its body lines in a log, and the key inside a JSON string
        Redactor r = Redactor.of(List.of(PEM));
        String body = PEM.lines().skip(1).findFirst().orElseThrow();
        String json = "{\"key\": \"" + PEM.strip().replace("\n", "\\n") + "\"}";
        // when
        String file = r.redact("key:\n" + PEM + "end");
        String log = r.redact("2026-12-05 read " + body + " from disk");
        String doc = r.redact(json);
        // then
        assertThat(file).isEqualTo("key:\n********end");
        assertThat(log).isEqualTo("2026-12-05 read ******** from disk");
        assertThat(doc).isEqualTo("{\"key\": \"********\"}");
    }

    @Test
    void aValueThatContainsAnotherIsMaskedWhole() {
        // given
        Redactor r = Redactor.of(List.of("abcd", "xxabcdyy"));
        // when / then
        assertThat(r.redact("1 xxabcdyy 2 abcd")).isEqualTo("1 ******** 2 ********");
    }

    @Test
    void shortAndEmptyValuesAreCountedNotSearched() {
        // given
        Redactor r = Redactor.of(List.of("ab", "", "  ", "long-enough"));
        // when / then
        assertThat(r.values()).isEqualTo(1);
        assertThat(r.tooShort()).isEqualTo(1);
        assertThat(r.redact("ab cd long-enough")).isEqualTo("ab cd ********");
    }

    @Test
    void digestsAndCaseFormsAreMasked() throws Exception {
        // given
        Redactor r = Redactor.of(List.of("Hunter2Hunter"));
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("Hunter2Hunter\n".getBytes(StandardCharsets.UTF_8)));
        // when / then
        assertThat(r.redact("HUNTER2HUNTER hunter2hunter " + sha)).isEqualTo("******** ******** ********");
    }

    @Test
    void secretsAreRevealedToBeSearched() {
        // given a lazy secret, not fetched yet
        Redactor r = Redactor.ofSecrets(List.of(Secret.lazy(() -> "fetched-value"), Secret.of("direct-value")));
        // when / then
        assertThat(r.redact("a fetched-value b direct-value")).isEqualTo("a ******** b ********");
        assertThat(r.and(List.of("later-value")).redact("later-value direct-value"))
                .isEqualTo("******** ********");
    }

    @Test
    void assignmentsWhoseNameSaysSecretLoseTheirValue() {
        // given
        String env = String.join("\n", "DATABASE_USER=itbm", "DATABASE_PASSWORD=typed-by-hand",
                "DATABASE_PASSWORD_FILE=/run/secrets/db_password", "export SMTP_TOKEN = abc", "API_KEY:",
                "oidc.client_secret: xyz", "EMPTY_SECRET=", "# PASSWORD=commented");
        // when
        Redactor.Redacted out = Redactor.redactAssignments(env);
        // then
        assertThat(out.text()).isEqualTo(String.join("\n", "DATABASE_USER=itbm", "DATABASE_PASSWORD=********",
                "DATABASE_PASSWORD_FILE=/run/secrets/db_password", "export SMTP_TOKEN = ********", "API_KEY:",
                "oidc.client_secret: ********", "EMPTY_SECRET=", "# PASSWORD=commented"));
        assertThat(out.replacements()).isEqualTo(3);
    }

    @Test
    void nothingToRedactLeavesTheTextAsItIs() {
        // given
        Redactor r = Redactor.of(List.of());
        // when / then
        assertThat(r.redact("plain text")).isEqualTo("plain text");
        assertThat(r.redactCounting("plain").replacements()).isZero();
    }
}
