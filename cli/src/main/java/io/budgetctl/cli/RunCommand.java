package io.budgetctl.cli;

import io.budgetctl.engine.run.Engine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code budgetctl run}: options -> RunRequest -> Engine.run; the exit code is the engine's. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run playbooks against inventory hosts, like ansible-playbook.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:every host ok", " 1:playbook/inventory/variables do not load or validate",
            " 2:one or more hosts failed", " 4:one or more hosts were unreachable", " 5:bad command line options",
            " 6:refused by access.yaml (-i a deployments repository: action run)", "99:interrupted"})
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    BudgetctlCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions options;

    @Override
    public Integer call() {
        Integer denied = RunAccess.check(options, spec.commandLine().getErr());
        if (denied != null) {
            return denied;
        }
        boolean color = parent.terminal().color() && options.output == OutputFormat.human;
        return Engine.run(options.toRequest(spec), options.listeners(spec.commandLine().getOut(), color));
    }
}
