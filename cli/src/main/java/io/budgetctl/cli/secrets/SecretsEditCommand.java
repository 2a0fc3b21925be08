package io.budgetctl.cli.secrets;

import io.budgetctl.engine.run.ExitCodes;
import io.budgetctl.lifecycle.secrets.Sops;
import io.budgetctl.lifecycle.secrets.SopsEditor;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code budgetctl secrets edit FILE}: decrypt to a private temp file, $EDITOR, re-encrypt if changed, shred. */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = "Edit the decrypted file in $EDITOR (temporary copy readable only by you, overwritten and "
                + "deleted afterwards) and re-encrypt it with the same data key if you changed it.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:saved, or nothing changed", " 1:cannot decrypt, the editor failed, or the edited text "
                + "does not parse (the file is left as it was)", " 5:bad command line options",
            " 6:refused by access.yaml (a file in a deployments repository)"})
final class SecretsEditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @ParentCommand
    SecretsCommand parent;
    @Parameters(paramLabel = "FILE", description = "A SOPS-encrypted file.")
    Path file;
    @Option(names = "--ignore-mac", description = "Accept a file that has no MAC (the saved file gets one).")
    boolean ignoreMac;

    @Override
    public Integer call() {
        Integer denied = SecretsAccess.check("secrets-edit", file, parent.env(), spec.commandLine().getErr());
        if (denied != null) {
            return denied;
        }
        SopsEditor.Outcome outcome = new SopsEditor(new Sops(parent.env()))
                .edit(file, SopsEditor.fromEnv(parent.env()), ignoreMac);
        spec.commandLine().getOut().println(outcome == SopsEditor.Outcome.CHANGED ? "saved " + file
                : "no changes, " + file + " left as it was");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
