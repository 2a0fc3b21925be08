package io.budgetctl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root command: global options and the list of subcommands. Running it without a subcommand shows help. */
@Command(name = "budgetctl",
        mixinStandardHelpOptions = true,
        versionProvider = BudgetctlCommand.Version.class,
        description = "Deploys and operates IT Budget Manager with Ansible-style playbooks over SSH.",
        subcommands = {RunCommand.class, LintCommand.class, io.budgetctl.cli.repo.ValidateCommand.class,
                io.budgetctl.cli.secrets.SecretsCommand.class,
                io.budgetctl.cli.lifecycle.LockCommand.class,
                io.budgetctl.cli.lifecycle.PrepareCommand.class,
                io.budgetctl.cli.lifecycle.DeployCommand.class,
                io.budgetctl.cli.lifecycle.StatusCommand.class, io.budgetctl.cli.lifecycle.RollbackCommand.class,
                io.budgetctl.cli.lifecycle.PlanCommand.class, io.budgetctl.cli.lifecycle.HistoryCommand.class,
                io.budgetctl.cli.lifecycle.AuditCommand.class, io.budgetctl.cli.lifecycle.BackupCommand.class,
                io.budgetctl.cli.lifecycle.RestoreCommand.class, io.budgetctl.cli.lifecycle.CertsCommand.class,
                io.budgetctl.cli.lifecycle.DiagnoseCommand.class, io.budgetctl.cli.lifecycle.MonitoringCommand.class,
                io.budgetctl.cli.lifecycle.FleetCommand.class,
                io.budgetctl.cli.lifecycle.ModulesCommand.class,
                picocli.CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:success",
            " 1:error: a playbook, inventory or option value that does not load or validate, or a bug",
            " 2:one or more hosts failed (run); findings (lint)",
            " 4:one or more hosts were unreachable (run)",
            " 5:bad command line options",
            "99:interrupted"},
        footerHeading = "%nEnvironment:%n",
        footer = {"  NO_COLOR               no colour even on a terminal",
            "  BUDGETCTL_FORCE_COLOR  colour even when not on a terminal"})
final class BudgetctlCommand implements Runnable {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces with errors (for reporting bugs).")
    boolean debug;

    BudgetctlCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    Terminal terminal() {
        return terminal;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"budgetctl " + version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }

        static String version() {
            Properties p = new Properties();
            try (InputStream in = BudgetctlCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return p.getProperty("version", "unknown");
        }
    }
}
