package io.budgetctl.cli.lifecycle;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code budgetctl lock status|release --client X [--force]}: playbooks/lock.yml (docs/runbooks/lock.md). */
@Command(name = "lock", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show or release the deploy lock of a customer's server (/opt/itbm/<client>/lock).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:done", " 1:repository or playbook does not load", " 2:refused (a live lock that is"
            + " not ours without --force) or the host failed", " 4:host unreachable", " 5:bad command line"})
public final class LockCommand extends LifecycleCommand {
    /** What to do with the lock. */
    public enum Action { status, release }

    @Parameters(index = "0", paramLabel = "ACTION", description = "status or release")
    Action action;

    @Option(names = "--force", description = "Release a lock that is held and not stale (make sure no deploy runs).")
    boolean force;

    /** Looking at the lock is {@code status}; releasing it is part of deploying ({@code deploy}). */
    @Override
    protected String action() {
        return action == Action.status ? "status" : "deploy";
    }

    @Override
    protected String playbook() {
        return "lock";
    }

    @Override
    protected Map<String, Object> vars() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("action", action.name());
        v.put("force", force);
        return v;
    }
}
