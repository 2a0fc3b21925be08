package io.budgetctl.cli.secrets;

import io.budgetctl.engine.run.ExitCodes;
import io.budgetctl.lifecycle.secrets.Sops;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code budgetctl secrets view FILE}: the decrypted document in its own format, like {@code sops -d FILE}. */
@Command(name = "view", mixinStandardHelpOptions = true,
        description = "Print the decrypted file (in its own format, like 'sops -d'). The MAC is verified first.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:printed", " 1:cannot decrypt or verify (see the hint)", " 5:bad command line options",
            " 6:refused by access.yaml (a file in a deployments repository)"})
final class SecretsViewCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @ParentCommand
    SecretsCommand parent;
    @Parameters(paramLabel = "FILE", description = "A SOPS-encrypted .yaml, .json or .env file.")
    Path file;
    @Option(names = "--ignore-mac", description = "Accept a file that has no MAC at all (a MAC that is present must "
            + "still match).")
    boolean ignoreMac;

    @Override
    public Integer call() {
        Integer denied = SecretsAccess.check("secrets-view", file, parent.env(), spec.commandLine().getErr());
        if (denied != null) {
            return denied;
        }
        String text = new Sops(parent.env()).view(file, ignoreMac);
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
        return ExitCodes.OK;
    }
}
