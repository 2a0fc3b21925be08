package io.budgetctl.cli.lifecycle;

import io.budgetctl.lifecycle.repo.Identifiers;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code budgetctl backup --client X [--fetch DIR] [--id ID]}: playbooks/backup.yml (docs/runbooks/backup.md). */
@Command(name = "backup", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Back up a customer: database dump (pg_dump -Fc), the project's named volumes and a snapshot of"
                + " the running release, each checksummed (sha256) into /opt/itbm/<client>/backups/<id>/ with"
                + " manifest.json. --fetch also copies it to this machine, verified.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:backup complete (and fetched)", " 1:repository or playbook does not load",
            " 2:the backup failed (the partial directory is removed)", " 4:host unreachable",
            " 5:bad command line"})
public final class BackupCommand extends LifecycleCommand {
    @Option(names = "--fetch", paramLabel = "DIR",
            description = "Also copy the backup to DIR/<client>/<id>/ on this machine (checksums verified).")
    Path fetch;

    @Option(names = "--id", paramLabel = "ID", description = "The backup id (default: the host's UTC time).")
    String id;

    @Override
    protected String action() {
        return "backup";
    }

    @Override
    protected List<Input> identifiers() {
        return id == null ? List.of() : List.of(new Input("--id", Identifiers.Kind.BACKUP_ID, id));
    }

    @Override
    protected Map<String, Object> vars() {
        Map<String, Object> v = new LinkedHashMap<>();
        if (fetch != null) {
            v.put("backup_fetch_dir", fetch.toAbsolutePath().normalize().toString());
        }
        if (id != null) {
            v.put("backup_id", id);
        }
        return v;
    }
}
