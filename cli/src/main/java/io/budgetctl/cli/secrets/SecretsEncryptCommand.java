package io.budgetctl.cli.secrets;

import io.budgetctl.engine.run.ExitCodes;
import io.budgetctl.lifecycle.secrets.Sops;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code budgetctl secrets encrypt FILE}: encrypts a plaintext file in place for its .sops.yaml recipients. */
@Command(name = "encrypt", mixinStandardHelpOptions = true,
        description = "Encrypt a plaintext file in place for the recipients of the nearest .sops.yaml's matching "
                + "creation rule.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:encrypted", " 1:already encrypted, no .sops.yaml or matching rule, bad recipient",
            " 5:bad command line options"})
final class SecretsEncryptCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @ParentCommand
    SecretsCommand parent;
    @Parameters(paramLabel = "FILE", description = "A plaintext .yaml, .json or .env file.")
    Path file;

    @Override
    public Integer call() {
        new Sops(parent.env()).encryptFile(file);
        spec.commandLine().getOut().println("encrypted " + file);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
