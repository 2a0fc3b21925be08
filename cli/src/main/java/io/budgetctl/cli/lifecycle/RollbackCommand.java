package io.budgetctl.cli.lifecycle;

import io.budgetctl.lifecycle.repo.Identifiers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code budgetctl rollback --client X --to vX.Y.Z [--restore-db]}: playbooks/rollback.yml. */
@Command(name = "rollback", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Switch a customer back to a kept release. When the database schema is newer than that"
                + " version's, --restore-db restores the backup taken before the upgrade from it (data written"
                + " since is lost; without --restore-db the rollback is refused and says what would be lost).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:rolled back and healthy", " 1:repository or playbook does not load",
            " 2:refused (lock held, no kept release, --restore-db needed) or failed", " 4:host unreachable",
            " 5:bad command line"})
public final class RollbackCommand extends LifecycleCommand {
    @Option(names = "--to", required = true, paramLabel = "vX.Y.Z", description = "The version to go back to.")
    String to;

    @Option(names = "--restore-db", description = "Restore the pre-upgrade database backup when the schema needs it.")
    boolean restoreDb;

    @Override
    protected String action() {
        return "rollback";
    }

    @Override
    protected List<Input> identifiers() {
        return List.of(new Input("--to", Identifiers.Kind.VERSION, to));
    }

    @Override
    protected Map<String, Object> vars() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("to", to);
        v.put("restore_db", restoreDb);
        return v;
    }
}
