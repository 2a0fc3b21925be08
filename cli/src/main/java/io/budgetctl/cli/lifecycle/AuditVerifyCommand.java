package io.budgetctl.cli.lifecycle;

import io.budgetctl.lifecycle.repo.Audit;
import io.budgetctl.lifecycle.repo.AuditChain;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code budgetctl audit verify [--file F]}: checks the hash chain of the controller's audit log
 * ({@link AuditChain}); the logic is in the engine, this maps the option and prints the result.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Check the hash chain of the controller's audit log (this machine's record of every access"
                + " decision): prints the number of entries, or the first line that was edited, removed, inserted"
                + " or reordered, or whose ssh-agent signature does not verify. Truncation at the end is found through"
                + " the head marker (<log>.head).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:the chain is intact",
            " 1:the chain is broken (the first broken line is named), or the log cannot be read",
            " 5:bad command line"},
        footerHeading = "%nEnvironment:%n",
        footer = {"  BUDGETCTL_AUDIT_LOG  the log when --file is not given"})
public final class AuditVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--file", paramLabel = "FILE",
            description = "The audit log (default: $BUDGETCTL_AUDIT_LOG, else ~/.local/state/budgetctl/audit.log).")
    Path file;

    @Override
    public Integer call() {
        Path log = file != null ? file
                : Audit.fromEnv(LifecycleCommand.env(), Path.of(System.getProperty("user.home"))).file();
        AuditChain.Result r = AuditChain.verify(log);
        PrintWriter out = spec.commandLine().getOut();
        if (r.ok()) {
            out.println("ok: " + log + ": " + r.entries() + " entr" + (r.entries() == 1 ? "y" : "ies")
                    + ", hash chain intact" + (r.unchained() > 0 ? "; the " + r.unchained() + " line(s) written"
                    + " before the chain started are covered as one block" : "")
                    + (r.signed() > 0 ? "; " + r.signed() + " signed (by " + String.join(", ", r.signers())
                    + "), signatures valid" : "")
                    + (r.headChecked() ? "; ends where the head marker says"
                    : "; no head marker, so lines cut from the end would not show"));
            out.flush();
            return 0;
        }
        AuditChain.Problem p = r.problem();
        PrintWriter err = spec.commandLine().getErr();
        err.println("ERROR! " + (p.line() == 0 ? Audit.headOf(log).toString() : log + ":" + p.line()) + ": "
                + p.message());
        err.println("  hint: " + p.hint());
        err.flush();
        return 1;
    }
}
