package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The runbook commands map their options to the playbook variables the roles read. */
class RunbookCommandsTest {
    @Test
    void backupFetchBecomesAnAbsoluteFetchDir() {
        // given
        BackupCommand c = new BackupCommand();
        // when
        new CommandLine(c).parseArgs("--client", "acme", "--fetch", "out", "--id", "before-upgrade");
        // then
        assertThat(c.playbook()).isEqualTo("backup");
        assertThat(c.vars()).containsEntry("backup_fetch_dir", Path.of("out").toAbsolutePath().toString())
                .containsEntry("backup_id", "before-upgrade");
        assertThat(new BackupCommand().vars()).isEmpty();
    }

    @Test
    void restoreNeedsFrom() {
        // given
        RestoreCommand c = new RestoreCommand();
        // when
        new CommandLine(c).parseArgs("--client", "acme", "--from", "20250301T020000Z");
        // then
        assertThat(c.vars()).containsEntry("restore_from", "20250301T020000Z")
                .containsEntry("restore_other_version", false);
        assertThatThrownBy(() -> new CommandLine(new RestoreCommand()).parseArgs("--client", "acme"))
                .isInstanceOf(CommandLine.MissingParameterException.class).hasMessageContaining("--from");
    }

    @Test
    void certsRenewTakesEitherCertAndKeyOrInternal() {
        // given
        CertsCommand.Renew files = new CertsCommand.Renew();
        CertsCommand.Renew internal = new CertsCommand.Renew();
        // when
        new CommandLine(files).parseArgs("--client", "acme", "--cert", "new.pem", "--key", "new.key");
        new CommandLine(internal).parseArgs("--client", "acme", "--internal", "--min-days", "20");
        // then
        assertThat(files.playbook()).isEqualTo("cert-renew");
        assertThat(files.vars()).containsEntry("cert_renew_source", "files")
                .containsEntry("cert_renew_cert_file", Path.of("new.pem").toAbsolutePath().toString())
                .containsEntry("cert_renew_key_file", Path.of("new.key").toAbsolutePath().toString())
                .containsEntry("cert_renew_min_days", 30);
        assertThat(internal.vars()).containsEntry("cert_renew_source", "internal")
                .containsEntry("cert_renew_min_days", 20).doesNotContainKey("cert_renew_cert_file");
        assertThatThrownBy(() -> new CommandLine(new CertsCommand.Renew()).parseArgs("--client", "acme",
                "--cert", "a.pem")).isInstanceOf(CommandLine.ParameterException.class);
        assertThatThrownBy(() -> new CommandLine(new CertsCommand.Renew()).parseArgs("--client", "acme",
                "--internal", "--cert", "a.pem", "--key", "k")).isInstanceOf(CommandLine.ParameterException.class);
    }

    @Test
    void theRootCommandKnowsThem() {
        // given
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.PrintWriter w = new java.io.PrintWriter(out);
        // when
        int backup = io.budgetctl.cli.Main.run(w, w, "backup", "--help");
        int renew = io.budgetctl.cli.Main.run(w, w, "certs", "renew", "--help");
        int restore = io.budgetctl.cli.Main.run(w, w, "restore", "--help");
        w.flush();
        // then
        assertThat(backup + renew + restore).isZero();
        assertThat(out.toString()).contains("Usage: budgetctl backup").contains("Usage: budgetctl certs renew")
                .contains("Usage: budgetctl restore").contains("--fetch=DIR").contains("--internal");
    }
}
