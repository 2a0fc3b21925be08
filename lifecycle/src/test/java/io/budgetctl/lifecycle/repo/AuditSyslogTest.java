package io.budgetctl.lifecycle.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's audit lines copied to a real syslog collector: Debian's rsyslogd ({@link Rsyslogd}) with imtcp
 * and imudp on 127.0.0.1. What arrives must be the audit file's lines, byte for byte, in order.
 */
class AuditSyslogTest {
    @TempDir
    Path dir;
    Rsyslogd rsyslog;
    int tcp;
    int udp;

    @BeforeEach
    void collector() throws Exception {
        tcp = Rsyslogd.freeTcpPort();
        udp = Rsyslogd.freeUdpPort();
        rsyslog = new Rsyslogd(dir, """
                global(workDirectory="%1$s")
                module(load="imtcp")
                module(load="imudp")
                input(type="imtcp" address="127.0.0.1" port="%2$d")
                input(type="imudp" address="127.0.0.1" port="%3$d")
                """.formatted(dir, tcp, udp), tcp);
    }

    @AfterEach
    void stop() throws Exception {
        rsyslog.close();
    }

    private static AccessDecision decision(String client, boolean allowed) {
        return new AccessDecision(OperatorIdentity.ofGit("ivan@itbm-vendor.example"), "Ivan Engineer", "deploy",
                client, "pilot", allowed, allowed ? "engineer" : null, allowed ? "engineer" : "not in pilot");
    }

    private List<String> received(int n) throws Exception {
        return rsyslog.received(n, 10);
    }

    @Test
    void givenATcpCollector_whenDecisionsAreAudited_thenItReceivesEachLineUnchangedInOrder() throws Exception {
        // given
        Path log = dir.resolve("audit.log");
        Audit audit = Audit.fromEnv(Map.of("BUDGETCTL_AUDIT_LOG", log.toString(),
                "BUDGETCTL_AUDIT_SYSLOG", "tcp://127.0.0.1:" + tcp), dir);

        // when
        audit.record(decision("acme", true));
        audit.record(decision("beta", false));
        audit.record(decision("gamma", true));

        // then: authpriv.notice, budgetctl, audit, and the very line of the file (chain and all)
        List<String> local = Files.readAllLines(log);
        List<String> remote = received(3);
        assertThat(remote).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(remote.get(i)).isEqualTo("85 budgetctl audit " + local.get(i));
        }
        assertThat(AuditChain.verify(log).ok()).isTrue();
    }

    @Test
    void givenAUdpCollector_whenADecisionIsAudited_thenItArrivesAsOneDatagram() throws Exception {
        // given
        Path log = dir.resolve("audit.log");
        Audit audit = new Audit(log, Clock.systemUTC(), null, AuditSink.parse("udp://127.0.0.1:" + udp));

        // when
        audit.record(decision("acme", true));

        // then
        assertThat(received(1)).containsExactly("85 budgetctl audit " + Files.readAllLines(log).get(0));
    }

    @Test
    void givenACollectorThatIsDown_whenADecisionIsAudited_thenTheCommandStopsAndSaysWhereTheLineIs()
            throws Exception {
        // given: nothing listens on this port
        int closed = Rsyslogd.freeTcpPort();
        Path log = dir.resolve("audit.log");
        Audit audit = new Audit(log, Clock.systemUTC(), null, AuditSink.parse("tcp://127.0.0.1:" + closed));

        // then
        assertThatThrownBy(() -> audit.record(decision("acme", true))).isInstanceOf(EngineException.class)
                .hasMessageContaining("cannot send audit line 1 to the syslog collector at tcp://127.0.0.1:" + closed)
                .hasMessageContaining("it is in " + log);
        assertThat(Files.readAllLines(log)).hasSize(1);
    }

    @Test
    void givenAnAddressThatIsNotASyslogOne_whenConfigured_thenAClearErrorNamesTheVariable() {
        for (String bad : List.of("syslog.example", "http://syslog.example:514", "tcp://syslog.example",
                "tcp://syslog.example:514/x")) {
            assertThatThrownBy(() -> AuditSink.parse(bad)).isInstanceOf(EngineException.class)
                    .hasMessageContaining("BUDGETCTL_AUDIT_SYSLOG '" + bad + "'");
        }
        assertThat(AuditSink.parse("tcp://syslog.example:6514")).hasToString("tcp://syslog.example:6514");
    }
}
