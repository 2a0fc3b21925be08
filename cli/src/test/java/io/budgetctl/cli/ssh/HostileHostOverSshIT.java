package io.budgetctl.cli.ssh;

import static io.budgetctl.cli.ssh.PlaybookRun.onHost;
import static io.budgetctl.cli.ssh.PlaybookRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.cli.ssh.PlaybookRun.Outcome;
import io.budgetctl.engine.ssh.TestHostsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compromised customer server answers the shipped roles that read host output with template text (issue 10,
 * docs/security.md): health-gate's {@code /version} JSON reply (through a fake {@code docker} on the host) and
 * deploy-lock's {@code details.json}. Every piece of that text would create a marker file on the controller if it were
 * rendered; the roles must show it as text and no marker may exist.
 */
class HostileHostOverSshIT {
    @RegisterExtension
    static final TestHostsExtension HOSTS = new TestHostsExtension(1);

    @TempDir
    Path dir;

    private String hostile(String name) {
        return "{{ lookup('pipe', 'touch " + dir.resolve("pwned-" + name) + "') }}";
    }

    private List<String> markers() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("pwned-")).sorted().toList();
        }
    }

    /** The repository's roles, seen from a playbook in the test's own directory. */
    private void linkRoles() throws Exception {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("roles").resolve("health-gate"))) {
                Files.createSymbolicLink(dir.resolve("roles"), d.resolve("roles"));
                return;
            }
        }
        throw new IllegalStateException("roles/ not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void healthGateAndDeployLockShowAHostsTemplateTextAndRunNothingOnTheController() throws Exception {
        // given: a fake docker that says every service is healthy and whose backend /version answer carries
        // template text, and a deploy lock whose details.json does too
        linkRoles();
        String version = "{\"version\": \"" + hostile("version") + "\", \"commit\": \"" + hostile("commit") + "\"}";
        String details = "{\"holder\": \"" + hostile("holder") + "\", \"version\": \"" + hostile("lock-version")
                + "\", \"acquired_utc\": \"2024-01-01T00:00:00Z\", \"pid\": 1, \"controller\": \"elsewhere\", "
                + "\"expires_at\": 4102444800, \"expires_utc\": \"" + hostile("expires") + "\"}";
        onHost(HOSTS, 0, "cat > /usr/local/bin/docker <<'EOF'\n"
                + "#!/bin/sh\n"
                + "case \"$1\" in\n"
                + "  ps) echo c0ffee ;;\n"
                + "  inspect) echo running/healthy ;;\n"
                + "  exec) case \"$*\" in *version*) cat /srv/version.json ;; esac ;;\n"
                + "esac\n"
                + "EOF\n"
                + "chmod 755 /usr/local/bin/docker\n"
                + "cat > /srv/version.json <<'EOF'\n" + version + "\nEOF\n"
                + "mkdir -p /srv/itbm/acme/lock && cat > /srv/itbm/acme/lock/details.json <<'EOF'\n" + details
                + "\nEOF\n"
                + "chmod -R a+rX /srv");
        Path playbook = write(dir, "hostile.yml", """
                - hosts: all
                  gather_facts: false
                  vars:
                    client: acme
                    itbm_compose: docker-compose
                    itbm_project: itbm-acme
                    itbm_health_timeout: 10
                  tasks:
                    - include_role:
                        name: health-gate
                    - name: the version the backend reports
                      debug:
                        msg: "running {{ itbm_running.version }} ({{ itbm_running.commit }})"
                    - name: written on the controller
                      copy:
                        dest: "%s/version.txt"
                        content: "{{ itbm_running.version }}"
                      delegate_to: localhost
                    - include_role:
                        name: deploy-lock
                      vars:
                        deploy_lock_action: status
                        deploy_lock_root: /srv/itbm
                """.formatted(dir));

        // when
        Outcome outcome = PlaybookRun.run(playbook, HOSTS.inventory(), false);

        // then
        assertThat(markers()).as("commands run on the controller; output:\n" + outcome.output()).isEmpty();
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output())
                .contains("running " + hostile("version") + " (" + hostile("commit") + ")")
                .contains("by " + hostile("holder") + " since 2024-01-01T00:00:00Z for version "
                        + hostile("lock-version"));
        assertThat(Files.readString(dir.resolve("version.txt"))).isEqualTo(hostile("version"));
    }
}
