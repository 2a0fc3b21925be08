package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.cli.Main;
import io.budgetctl.lifecycle.repo.Identifiers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The lifecycle playbooks check the identifiers again, for runs that did not come through the CLI's options
 * ({@code budgetctl run playbooks/rollback.yml -e to=...}): their first task asserts the patterns of
 * playbooks/vars/identifiers.yml, which must be {@link Identifiers}' own. Run here against localhost (local
 * connection), so a value that got through would run on this machine.
 */
class PlaybookIdentifierAssertsTest {
    @TempDir
    Path tmp;

    @Test
    void theVarsFileHoldsThePatternsOfIdentifiers() throws Exception {
        // given
        Path file = LifecycleRolesIT.repo().resolve("playbooks/vars/identifiers.yml");
        @SuppressWarnings("unchecked")
        Map<String, Object> vars = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(file));
        // when / then
        for (Identifiers.Kind k : Identifiers.Kind.values()) {
            assertThat(vars).containsEntry("identifier_pattern_" + k.name().toLowerCase(Locale.ROOT), k.regex());
        }
        assertThat(vars).hasSize(Identifiers.Kind.values().length);
    }

    private String[] run(String playbook, String... extra) throws Exception {
        Path inventory = Files.writeString(tmp.resolve("hosts.yml"),
                "all:\n  hosts:\n    pilot:\n      ansible_connection: local\n");
        List<String> args = new ArrayList<>(List.of("run", "-i", inventory.toString(),
                LifecycleRolesIT.repo().resolve("playbooks").resolve(playbook).toString()));
        for (String e : extra) {
            args.addAll(List.of("-e", e));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        return new String[] {String.valueOf(code), out + "\n" + err};
    }

    @Test
    void aRollbackTargetWithACommandSubstitutionStopsAtTheFirstTask() throws Exception {
        // given
        Path marker = tmp.resolve("pwned");
        // when
        String[] r = run("rollback.yml", "client=pilot", "{\"to\": \"v1$(touch " + marker + ")\"}");
        // then
        assertThat(r[0]).as(r[1]).isEqualTo("2");
        assertThat(r[1]).contains("TASK [the identifiers are well-formed]", "client must match")
                .doesNotContain("TASK [take the deploy lock]");
        assertThat(marker).doesNotExist();
    }

    @Test
    void backupRestoreAndStatusRefuseWhatTheCliWouldHaveRefused() throws Exception {
        // when
        String[] backup = run("backup.yml", "client=pilot", "backup_id=../..");
        String[] restore = run("restore.yml", "client=pilot", "restore_from=../../etc");
        String[] status = run("status.yml", "client=pilot;id");
        String[] lock = run("lock.yml", "client=pilot", "action=../../x");
        // then
        for (String[] r : List.of(backup, restore, status, lock)) {
            assertThat(r[0]).as(r[1]).isEqualTo("2");
            assertThat(r[1]).contains("TASK [the identifiers are well-formed]", "failed=1");
        }
        assertThat(backup[1]).doesNotContain("TASK [backup");
    }
}
