package io.budgetctl.cli.secrets;

import io.budgetctl.engine.run.ExitCodes;
import io.budgetctl.lifecycle.secrets.Sops;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code budgetctl secrets rotate FILE}: new data key, wrapped for the recipients .sops.yaml names now. */
@Command(name = "rotate", mixinStandardHelpOptions = true,
        description = "Re-encrypt the file under a new data key for the recipients the nearest .sops.yaml names "
                + "(without .sops.yaml: for its current recipients). Run it after adding or removing someone.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:rotated", " 1:cannot decrypt or verify, or a recipient cannot be used",
            " 5:bad command line options",
            " 6:refused by access.yaml (a file in a deployments repository)"})
final class SecretsRotateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @ParentCommand
    SecretsCommand parent;
    @Parameters(paramLabel = "FILE", description = "A SOPS-encrypted file.")
    Path file;
    @Option(names = "--ignore-mac", description = "Accept a file that has no MAC (the rotated file gets one).")
    boolean ignoreMac;

    @Override
    public Integer call() {
        Integer denied = SecretsAccess.check("secrets-rotate", file, parent.env(), spec.commandLine().getErr());
        if (denied != null) {
            return denied;
        }
        new Sops(parent.env()).rotate(file, ignoreMac);
        spec.commandLine().getOut().println("rotated " + file);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
