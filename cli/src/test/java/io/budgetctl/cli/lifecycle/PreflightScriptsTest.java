package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preflight role's check scripts (roles/preflight/files) run here with bash, as the role runs them on the server
 * or the operator's machine: the row each prints for real certificates and real names. No Docker.
 */
class PreflightScriptsTest {
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    static Map<String, Object> script(String name, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash",
                LifecycleRolesIT.repo().resolve("roles/preflight/files").resolve(name).toString()));
        cmd.addAll(List.of(args));
        return new ObjectMapper().readValue(TestCerts.exec(cmd), Map.class);
    }

    @Test
    void aCertificateNotYetValidOrWithAnEncryptedKeyOrNotPemFails() throws Exception {
        // given
        Instant now = Instant.now();
        Path future = TestCerts.selfSigned(dir, "future", "a.test", now.plus(2, ChronoUnit.DAYS),
                now.plus(90, ChronoUnit.DAYS));
        Path ok = TestCerts.selfSigned(dir, "ok", "a.test", now.minus(1, ChronoUnit.DAYS), now.plus(90, ChronoUnit.DAYS));
        TestCerts.exec("openssl", "pkey", "-in", ok + ".key", "-aes256", "-passout", "pass:secret", "-out",
                dir.resolve("encrypted.key").toString());
        Files.writeString(dir.resolve("junk.crt"), "not a certificate\n");
        // when
        Map<String, Object> notYet = script("cert.sh", future + ".crt", future + ".key", "a.test", "30");
        Map<String, Object> encrypted = script("cert.sh", ok + ".crt", dir.resolve("encrypted.key").toString(),
                "a.test", "30");
        Map<String, Object> junk = script("cert.sh", dir.resolve("junk.crt").toString(), ok + ".key", "a.test", "30");
        // then
        assertThat(notYet).containsEntry("status", "fail");
        assertThat((String) notYet.get("value")).startsWith("not valid before ");
        assertThat(encrypted).containsEntry("status", "fail")
                .containsEntry("value", "the key " + dir.resolve("encrypted.key") + " is not an unencrypted PEM private key");
        assertThat(junk).containsEntry("status", "fail")
                .containsEntry("value", dir.resolve("junk.crt") + " is not a PEM certificate");
    }

    @Test
    void theThirtyDayLineIsTheWarnLineAndNoDomainChecksNoName() throws Exception {
        // given
        Instant now = Instant.now();
        Path twenty = TestCerts.selfSigned(dir, "twenty", "a.test", now.minus(1, ChronoUnit.DAYS),
                now.plus(20, ChronoUnit.DAYS));
        // 40 days and 12 hours: cert.sh counts whole days left, so half a day keeps the count at 40 whichever second
        // the script runs in (ending exactly 40 days from `now` gave 39 or 40 depending on the clock's second)
        Path forty = TestCerts.selfSigned(dir, "forty", "a.test", now.minus(1, ChronoUnit.DAYS),
                now.plus(40, ChronoUnit.DAYS).plus(12, ChronoUnit.HOURS));
        // when
        Map<String, Object> r20 = script("cert.sh", twenty + ".crt", twenty + ".key", "a.test", "30");
        Map<String, Object> r40 = script("cert.sh", forty + ".crt", forty + ".key", "", "30");
        Map<String, Object> r40strict = script("cert.sh", forty + ".crt", forty + ".key", "a.test", "60");
        // then
        assertThat(r20).containsEntry("status", "warn");
        assertThat(r40).containsEntry("status", "pass").containsEntry("value", "valid for 40 more days");
        assertThat(r40strict).containsEntry("status", "warn");
    }

    @Test
    void aNameIsThisServerWhenItResolvesToOneOfItsOwnNonLoopbackAddresses() throws Exception {
        // given: this machine's first own address (an IP literal resolves to itself), and a documentation address
        String own = TestCerts.exec("hostname", "-I").strip().split("\\s+")[0];
        // when
        Map<String, Object> mine = script("domain.sh", own);
        Map<String, Object> elsewhere = script("domain.sh", "192.0.2.77");
        Map<String, Object> counted = script("domain.sh", "192.0.2.77", "192.0.2.77");
        Map<String, Object> loopback = script("domain.sh", "localhost");
        Map<String, Object> nowhere = script("domain.sh", "nothing-here.invalid");
        // then
        assertThat(mine).containsEntry("status", "pass").containsEntry("value", own + " -> " + own + " (this server)");
        assertThat(elsewhere).containsEntry("status", "warn");
        assertThat(counted).as("an address given as this server's (the one budgetctl connects to) counts")
                .containsEntry("status", "pass");
        assertThat(loopback).containsEntry("status", "warn");
        assertThat((String) loopback.get("value")).endsWith("(loopback only)");
        assertThat(nowhere).containsEntry("status", "fail");
    }
}
