package io.budgetctl.modules.commands;

import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.HostCommands;
import io.budgetctl.modules.ModuleBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code script}: copies a script from the controller (the role's or the playbook's {@code files/}) into a private
 * temporary directory on the host, runs it there with the rest of the free-form string as its arguments (through
 * {@code /bin/sh -c}, as Ansible does, optionally {@code executable}), and removes the directory. As Ansible's
 * action: {@code creates}/{@code removes} are tested with {@code test -e} and skip the task, {@code chdir} must be
 * absolute, the result is always "changed" and fails on a non-zero exit; check mode runs nothing (changed when
 * creates/removes allowed it, otherwise skipped).
 */
public final class ScriptModule extends ModuleBase {
    private static final String RAW = "_raw_params";
    private static final ArgSpec SPEC = ArgSpec.builder()
            .freeForm(RAW)
            .arg("cmd", Arg.of("str"))
            .arg("creates", Arg.of("path"))
            .arg("removes", Arg.of("path"))
            .arg("chdir", Arg.of("path"))
            .arg("executable", Arg.of("str"))
            // not read here; Ansible's script action hands it to its loader as it is and never refuses a value,
            // so the spec takes any (type bool would refuse what Ansible and budgetctl always accepted)
            .arg("decrypt", Arg.of("raw"))
            .build();
    /** $1 the path: exit 0 when it exists (a dangling link counts, as os.path.lexists). */
    private static final String EXISTS = "[ -e \"$1\" ] || [ -L \"$1\" ]";
    /** Makes the private directory the script goes to; prints its path. */
    private static final String MKTEMP = "umask 077 && mktemp -d \"${TMPDIR:-/tmp}/budgetctl-script.XXXXXXXX\"";

    public ScriptModule() {
        super("script", SPEC, CheckMode.PARTIAL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        String raw = args.str(RAW);
        if (raw == null) {
            raw = args.str("cmd");
        }
        String creates = args.str("creates");
        String removes = args.str("removes");
        String chdir = args.str("chdir");
        if (creates != null && !creates.isEmpty() && exists(ctx, creates)) {
            return new Result.Skipped(creates + " exists, matching creates option", new LinkedHashMap<>());
        }
        if (removes != null && !removes.isEmpty() && !exists(ctx, removes)) {
            return new Result.Skipped(removes + " does not exist, matching removes option", new LinkedHashMap<>());
        }
        if (chdir != null && !chdir.isEmpty() && !chdir.startsWith("/")) {
            return Result.failed("chdir " + chdir + " must be an absolute path for a Unix-aware remote node");
        }
        if (raw == null || raw.isBlank()) {
            return Result.failed("no script given: script: path/to/script.sh [arguments]");
        }
        List<String> parts;
        try {
            parts = CommandSupport.shlexSplit(raw.strip());
        } catch (BadArgument e) {
            return Result.failed(e.getMessage());
        }
        String source = parts.get(0);
        Optional<Path> local = ctx.findFile("files", source);
        if (local.isEmpty() || !Files.isRegularFile(local.get())) {
            return Result.failed("Could not find or access '" + source + "' on the controller (searched in the"
                    + " role's and the playbook's files/ directories)");
        }
        if (ctx.check()) {
            if (notEmpty(creates) || notEmpty(removes)) {
                return new Result.Changed("", new LinkedHashMap<>(), List.of());
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("changed", false);
            return new Result.Skipped("Check mode is not supported for this task.", data);
        }
        byte[] content;
        try {
            content = Files.readAllBytes(local.get());
        } catch (IOException e) {
            return Result.failed("Could not read '" + source + "' on the controller: " + e.getMessage());
        }
        ExecResult dir = HostCommands.script(ctx, MKTEMP);
        if (dir.exitCode() != 0) {
            return Result.failed("could not make a temporary directory on the host: " + dir.stderr().strip());
        }
        String tmp = dir.stdout().strip();
        try {
            String target = tmp + "/" + local.get().getFileName();
            if (!ctx.connection().write(target, content, "0700", null, null, ctx.become())) {
                return Result.failed("could not copy the script to " + target + " on the host");
            }
            // Ansible swaps the script's path for the copy's in the rest of the text, keeping the arguments' quoting
            String command = raw.strip().replace(source, target);
            String exe = args.str("executable");
            String line = exe == null || exe.isEmpty() ? command : exe + " " + command;
            ExecResult r = ctx.exec(new ExecRequest(List.of("/bin/sh", "-c", line), null, null,
                    notEmpty(chdir) ? chdir : null, ctx.become(), null));
            return CommandSupport.unstripped(r);
        } finally {
            HostCommands.script(ctx, "rm -rf -- \"$1\"", tmp);
        }
    }

    private static boolean exists(ModuleContext ctx, String path) {
        return HostCommands.script(ctx, EXISTS, path).exitCode() == 0;
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
