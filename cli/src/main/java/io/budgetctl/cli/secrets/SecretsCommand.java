package io.budgetctl.cli.secrets;

import io.budgetctl.lifecycle.secrets.SecretsEnv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code budgetctl secrets}: SOPS files of the deployments repository (view, encrypt, rotate, edit). */
@Command(name = "secrets", mixinStandardHelpOptions = true,
        description = "View, encrypt, rotate and edit SOPS-encrypted secrets files (age or PGP recipients from the "
                + "nearest .sops.yaml).",
        subcommands = {SecretsViewCommand.class, SecretsEncryptCommand.class, SecretsRotateCommand.class,
            SecretsEditCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:success", " 1:the file cannot be read, decrypted or verified (MAC), or no key/recipient",
            " 5:bad command line options"},
        footerHeading = "%nEnvironment:%n",
        footer = {"  SOPS_AGE_KEY_FILE  age identities file (default ~/.config/sops/age/keys.txt)",
            "  SOPS_AGE_KEY       age identities themselves",
            "  GNUPGHOME          gpg home for PGP recipients (gpg is run as sops runs it)",
            "  EDITOR             editor for 'secrets edit' (default vi)"})
public final class SecretsCommand implements Runnable {
    private final SecretsEnv env;

    @Spec
    CommandSpec spec;

    /** With this process's environment (how the root command creates it). */
    public SecretsCommand() {
        this(SecretsEnv.system());
    }

    /** With a given environment (tests). */
    public SecretsCommand(SecretsEnv env) {
        this.env = env;
    }

    SecretsEnv env() {
        return env;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
