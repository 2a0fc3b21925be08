package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.HostCommands;
import io.budgetctl.modules.ModuleBase;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tempfile}: a new, uniquely named file (mode 0600) or directory (0700) on the host, as Python's
 * {@code mkstemp}/{@code mkdtemp} make them: {@code prefix} (default {@code ansible.}), eight random characters,
 * {@code suffix}, in {@code path} or else {@code $TMPDIR} or {@code /tmp}. Always changed; the path comes back as
 * {@code path}. Like Ansible's it does not run in check mode. GNU {@code mktemp} does the work.
 */
public final class TempfileModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("state", Arg.of("str").withDefault("file").withChoices("file", "directory"))
            .arg("path", Arg.of("path"))
            .arg("prefix", Arg.of("str").withDefault("ansible."))
            .arg("suffix", Arg.of("str").withDefault(""))
            .build();

    public TempfileModule() {
        super("tempfile", SPEC, CheckMode.NONE);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        String prefix = args.str("prefix");
        String suffix = args.str("suffix");
        if (prefix.contains("/") || suffix.contains("/")) {
            throw new BadArgument("prefix and suffix are parts of a file name and cannot contain '/'"
                    + " (give the directory as 'path')");
        }
        List<String> argv = new ArrayList<>(List.of("mktemp"));
        if ("directory".equals(args.str("state"))) {
            argv.add("-d");
        }
        String dir = args.str("path");
        argv.add(dir == null ? "--tmpdir" : "--tmpdir=" + dir);
        if (!suffix.isEmpty()) {
            argv.add("--suffix=" + suffix);
        }
        argv.add("--");
        argv.add(prefix + "XXXXXXXX");
        ExecResult r = HostCommands.run(ctx, argv);
        if (!r.ok()) {
            return Result.failed(r.stderr().isBlank() ? "mktemp failed (rc=" + r.exitCode() + ")"
                    : r.stderr().strip());
        }
        return Result.changed(Result.data("path", r.stdout().strip()));
    }
}
