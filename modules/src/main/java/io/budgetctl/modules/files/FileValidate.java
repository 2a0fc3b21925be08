package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.engine.template.PyShlex;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.HostCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * The file modules' {@code validate}: the new content is checked by the task's command on the host before it
 * replaces the file, as Ansible does; the command is split into words here and never handed to a shell.
 */
final class FileValidate {
    private FileValidate() {
    }

    /**
     * Runs {@code validate} (a command with %s, split like a shell would but never run by one) against
     * {@code content} written to a temporary file next to {@code dest}. Returns a failed result or null when valid.
     */
    static Result validate(ModuleContext ctx, String validate, byte[] content, String dest, String mode) {
        if (!validate.contains("%s")) {
            return Result.failed("validate must contain %s: " + validate);
        }
        ExecResult mk = HostCommands.script(ctx, "d=$(dirname -- \"$1\"); b=$(basename -- \"$1\"); "
                + "mktemp \"$d/.$b.budgetctl-validate.XXXXXX\"", dest);
        FileSupport.must(mk, "creating a temporary file for validate next to " + dest);
        String tmp = mk.stdout().strip();
        try {
            ctx.connection().write(tmp, content, mode, null, null, ctx.become());
            List<String> argv = new ArrayList<>();
            for (String word : splitWords(validate)) {
                argv.add(word.replace("%s", tmp));
            }
            ExecResult r = HostCommands.run(ctx, argv);
            if (!r.ok()) {
                return Result.failed("failed to validate", Result.data("exit_status", r.exitCode(),
                        "stdout", r.stdout(), "stderr", r.stderr()));
            }
            return null;
        } finally {
            HostCommands.run(ctx, List.of("rm", "-f", "--", tmp));
        }
    }

    /** The words of validate, as Ansible's run_command shlex-splits the command string (Python's shlex). */
    static List<String> splitWords(String s) {
        try {
            return PyShlex.split(s);
        } catch (IllegalArgumentException e) {
            throw new BadArgument(e.getMessage() + " in: " + s);
        }
    }
}
