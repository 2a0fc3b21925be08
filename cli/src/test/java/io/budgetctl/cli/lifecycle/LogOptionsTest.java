package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * status --logs --since/--service and diagnose --since/--lines are checked before the repository is opened: a bad
 * value exits 5 with one line naming the option (the repository here does not even exist, so reaching it would be a
 * different error); good values become the normalised variables the playbooks assert again.
 */
class LogOptionsTest {
    @TempDir
    Path tmp;

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--repo";
        all[args.length + 1] = tmp.resolve("no-such-repo").toString();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), all);
        return new String[] {String.valueOf(code), out + "\n" + err};
    }

    @Test
    void aSinceThatIsNoDurationOrTimeIsRefusedBeforeAnythingElse() {
        // when
        String[] r = run("status", "--client", "acme", "--logs", "10", "--since", "10m;id");
        // then
        assertThat(r[0]).as(r[1]).isEqualTo("5");
        assertThat(r[1]).contains("ERROR! --since '10m;id' is not a duration").contains("hint: nothing was sent");
    }

    @Test
    void aServiceThatIsNotTheProductsIsRefused() {
        // when
        String[] r = run("status", "--client", "acme", "--logs", "10", "--service", "backend,sshd");
        // then
        assertThat(r[0]).as(r[1]).isEqualTo("5");
        assertThat(r[1]).contains("--service 'sshd' is not a service of IT Budget Manager");
    }

    @Test
    void sinceOrServiceWithoutLogsSaysToAddLogs() {
        // when
        String[] r = run("status", "--client", "acme", "--service", "backend");
        // then
        assertThat(r[0]).as(r[1]).isEqualTo("5");
        assertThat(r[1]).contains("--service selects log lines, but no --logs N was given");
    }

    @Test
    void diagnoseRefusesABadSinceAndLines() {
        // when
        String[] since = run("diagnose", "--client", "acme", "--since", "$(reboot)");
        String[] lines = run("diagnose", "--client", "acme", "--lines", "0");
        // then
        assertThat(since[0]).as(since[1]).isEqualTo("5");
        assertThat(since[1]).contains("--since '$(reboot)' is not");
        assertThat(lines[0]).as(lines[1]).isEqualTo("5");
        assertThat(lines[1]).contains("--lines 0 is not between 1 and 100000");
    }

    @Test
    void goodValuesAreNormalisedIntoThePlaybooksVariables() {
        // given
        StatusCommand status = new StatusCommand();
        status.logs = 50;
        status.since = "1h30m";
        status.services = List.of("worker", "backend");
        DiagnoseCommand diagnose = new DiagnoseCommand();
        diagnose.since = "2026-12-05T11:00:00+01:00";
        diagnose.lines = 20;
        // when
        Map<String, Object> s = status.vars();
        Map<String, Object> d = diagnose.vars();
        // then
        assertThat(s).containsEntry("logs", 50).containsEntry("logs_since", "5400s")
                .containsEntry("logs_services", List.of("worker", "backend"));
        assertThat(d).containsEntry("diagnose_lines", 20).containsEntry("diagnose_since", "2026-12-05T10:00:00Z");
        assertThat(diagnose.action()).isEqualTo("diagnose");
    }

    @Test
    void everySecretReferenceOfAConfigurationIsFound() {
        // given
        Map<String, Object> client = Map.of("ssh", Map.of("key", "sops:secrets/a.sops.yaml#ssh_key"),
                "list", List.of("vault:kv/data/a#x", "plain", Map.of("p", "sops:secrets/a.sops.yaml#ssh_key")));
        // when / then
        assertThat(DiagnoseCommand.references(client, new java.util.ArrayList<>()))
                .containsExactlyInAnyOrder("sops:secrets/a.sops.yaml#ssh_key", "vault:kv/data/a#x");
    }
}
