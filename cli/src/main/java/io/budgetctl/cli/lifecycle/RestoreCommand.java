package io.budgetctl.cli.lifecycle;

import io.budgetctl.lifecycle.repo.Identifiers;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code budgetctl restore --client X --from ID}: playbooks/restore.yml (docs/runbooks/restore.md). */
@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Restore a customer from one of its backups on the host: checksums verified first (a corrupted"
                + " backup is refused and nothing is touched), writers stopped, database (pg_restore --clean, one"
                + " transaction) and volumes restored, services started and health-checked. Data written since the"
                + " backup is lost.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:restored and healthy", " 1:repository or playbook does not load",
            " 2:refused (missing or corrupted backup, other version) or failed: the message says the host's state"
                + " and how to recover", " 4:host unreachable", " 5:bad command line"})
public final class RestoreCommand extends LifecycleCommand {
    @Option(names = "--from", required = true, paramLabel = "ID",
            description = "The backup id (a directory in /opt/itbm/<client>/backups/).")
    String from;

    @Option(names = "--other-version",
            description = "Allow a backup taken on another version than the one running (same schema only).")
    boolean otherVersion;

    @Override
    protected String action() {
        return "restore";
    }

    @Override
    protected List<Input> identifiers() {
        return List.of(new Input("--from", Identifiers.Kind.BACKUP_ID, from));
    }

    @Override
    protected Map<String, Object> vars() {
        return Map.of("restore_from", from, "restore_other_version", otherVersion);
    }
}
