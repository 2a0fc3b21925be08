package io.budgetctl.lifecycle.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit lines over TLS (RFC 5425) to Debian's rsyslogd with the gtls driver (rsyslog-gnutls), which asks for a
 * client certificate signed by the test CA ({@code x509/certvalid}). Certificates come from the openssl command line:
 * a CA, the collector's certificate for IP 127.0.0.1 only, the controller's client certificate, and a second CA
 * with a client certificate of its own that the collector does not trust.
 */
class AuditSyslogTlsTest {
    @TempDir
    static Path pki;
    @TempDir
    Path dir;
    Rsyslogd rsyslog;
    int port;

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(pki.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("openssl " + cmd + ": " + out).isTrue();
    }

    private static void ca(String name) throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                name + "-key.pem", "-out", name + ".pem", "-days", "2", "-subj", "/CN=" + name);
    }

    private static void signed(String name, String ca, String extensions) throws Exception {
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                name + "-key.pem", "-out", name + ".csr", "-subj", "/CN=" + name);
        Files.writeString(pki.resolve(name + ".ext"), extensions + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + "-key.pem",
                "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
    }

    @BeforeAll
    static void certificates() throws Exception {
        ca("audit-ca");
        signed("collector", "audit-ca", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth");
        signed("controller", "audit-ca", "extendedKeyUsage=clientAuth");
        ca("other-ca");
        signed("stranger", "other-ca", "extendedKeyUsage=clientAuth");
    }

    @BeforeEach
    void collector() throws Exception {
        port = Rsyslogd.freeTcpPort();
        rsyslog = new Rsyslogd(dir, """
                global(workDirectory="%1$s"
                       DefaultNetstreamDriverCAFile="%2$s/audit-ca.pem"
                       DefaultNetstreamDriverCertFile="%2$s/collector.pem"
                       DefaultNetstreamDriverKeyFile="%2$s/collector-key.pem")
                module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1"
                       StreamDriver.AuthMode="x509/certvalid")
                input(type="imtcp" address="127.0.0.1" port="%3$d")
                """.formatted(dir, pki, port), port);
    }

    @AfterEach
    void stop() throws Exception {
        rsyslog.close();
    }

    private Map<String, String> env(String url, String ca, String cert) {
        Map<String, String> env = new HashMap<>(Map.of("BUDGETCTL_AUDIT_LOG", dir.resolve("audit.log").toString(),
                "BUDGETCTL_AUDIT_SYSLOG", url));
        if (ca != null) {
            env.put("BUDGETCTL_AUDIT_SYSLOG_CA", pki.resolve(ca + ".pem").toString());
        }
        if (cert != null) {
            env.put("BUDGETCTL_AUDIT_SYSLOG_CERT", pki.resolve(cert + ".pem").toString());
            env.put("BUDGETCTL_AUDIT_SYSLOG_KEY", pki.resolve(cert + "-key.pem").toString());
        }
        return env;
    }

    private static AccessDecision decision(String client) {
        return new AccessDecision(OperatorIdentity.ofGit("ivan@itbm-vendor.example"), "Ivan Engineer", "deploy",
                client, "pilot", true, "engineer", "engineer");
    }

    @Test
    void givenTheCollectorsCaAndTheControllersCertificate_whenAudited_thenEachLineArrivesUnchanged() throws Exception {
        // given
        Audit audit = Audit.fromEnv(env("tls://127.0.0.1:" + port, "audit-ca", "controller"), dir);

        // when
        audit.record(decision("acme"));
        audit.record(decision("beta"));

        // then
        List<String> local = Files.readAllLines(dir.resolve("audit.log"));
        List<String> remote = rsyslog.received(2, 10);
        assertThat(remote).as(rsyslog.out()).containsExactly("85 budgetctl audit " + local.get(0),
                "85 budgetctl audit " + local.get(1));
    }

    @Test
    void givenNoOrAnUntrustedClientCertificate_whenAudited_thenTheCommandStopsAndNothingArrives() throws Exception {
        for (String cert : new String[] {null, "stranger"}) {
            // given
            Audit audit = Audit.fromEnv(env("tls://127.0.0.1:" + port, "audit-ca", cert), dir);

            // then: the collector's refusal is a failure, not a line sent into the void
            assertThatThrownBy(() -> audit.record(decision("acme"))).as("client certificate " + cert)
                    .isInstanceOf(EngineException.class)
                    .hasMessageContaining("to the syslog collector at tls://127.0.0.1:" + port);
        }
        assertThat(rsyslog.received(1, 2)).isEmpty();
    }

    @Test
    void givenACollectorWhoseCertificateIsNotTrustedOrNotForThatName_whenAudited_thenNothingIsSent() throws Exception {
        // a CA that did not sign the collector's certificate; the JVM's own CAs; a name the certificate does not hold
        Map<String, Map<String, String>> cases = Map.of(
                "other CA", env("tls://127.0.0.1:" + port, "other-ca", "controller"),
                "JVM CAs", env("tls://127.0.0.1:" + port, null, "controller"),
                "wrong name", env("tls://localhost:" + port, "audit-ca", "controller"));
        cases.forEach((why, env) -> assertThatThrownBy(() -> Audit.fromEnv(env, dir).record(decision("acme")))
                .as(why).isInstanceOf(EngineException.class)
                .hasMessageContaining("cannot send audit line"));
        assertThat(rsyslog.received(1, 2)).isEmpty();
    }

    @Test
    void givenTlsFilesThatCannotBeUsed_whenConfigured_thenTheErrorNamesTheVariableAndTheFix() throws IOException {
        // TLS files with a clear-text scheme
        assertThatThrownBy(() -> AuditSink.parse("tcp://127.0.0.1:514", env("tcp://127.0.0.1:514", "audit-ca", null)))
                .isInstanceOf(EngineException.class).hasMessageContaining("BUDGETCTL_AUDIT_SYSLOG_CA is set but")
                .satisfies(e -> assertThat(((EngineException) e).hint()).contains("use tls://HOST:PORT"));
        // a certificate without its key
        Map<String, String> noKey = env("tls://127.0.0.1:6514", "audit-ca", "controller");
        noKey.remove("BUDGETCTL_AUDIT_SYSLOG_KEY");
        assertThatThrownBy(() -> AuditSink.parse("tls://127.0.0.1:6514", noKey)).isInstanceOf(EngineException.class)
                .hasMessageContaining("needs both BUDGETCTL_AUDIT_SYSLOG_CERT and BUDGETCTL_AUDIT_SYSLOG_KEY");
        // a CA file that is not there
        Map<String, String> missing = env("tls://127.0.0.1:6514", null, null);
        missing.put("BUDGETCTL_AUDIT_SYSLOG_CA", pki.resolve("nope.pem").toString());
        assertThatThrownBy(() -> AuditSink.parse("tls://127.0.0.1:6514", missing)).isInstanceOf(EngineException.class)
                .hasMessageContaining("cannot use " + pki.resolve("nope.pem") + " for TLS to the syslog collector");
        // a key in a form Java cannot read: the message gives the openssl command
        Path sec1 = dir.resolve("sec1.pem");
        Files.writeString(sec1, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        Map<String, String> oldKey = env("tls://127.0.0.1:6514", "audit-ca", "controller");
        oldKey.put("BUDGETCTL_AUDIT_SYSLOG_KEY", sec1.toString());
        assertThatThrownBy(() -> AuditSink.parse("tls://127.0.0.1:6514", oldKey)).isInstanceOf(EngineException.class)
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt")
                .satisfies(e -> assertThat(((EngineException) e).location().toString())
                        .contains("$BUDGETCTL_AUDIT_SYSLOG_KEY"));
        // and a good set parses
        assertThat(AuditSink.parse("tls://127.0.0.1:6514", env("tls://127.0.0.1:6514", "audit-ca", "controller")))
                .hasToString("tls://127.0.0.1:6514");
    }
}
