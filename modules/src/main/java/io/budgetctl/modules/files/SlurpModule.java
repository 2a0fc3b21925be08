package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.HostCommands;
import io.budgetctl.modules.ModuleBase;

/**
 * {@code slurp}: a file of the host, base64-encoded, as {@code content} (with {@code source} and
 * {@code encoding: base64}), never changed. Like every registered result it is data from the host: a template in the
 * file's text is never evaluated, whatever filters ({@code b64decode}, {@code from_json}) are applied later. One
 * {@code /bin/sh} run as the task's become user; the messages are Ansible's.
 */
public final class SlurpModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("src", Arg.required("path").withAliases("path"))
            .build();

    /** $1 the file. Exit 3 missing, 4 a directory, 5 not readable; else its bytes in base64 on one line. */
    static final String SCRIPT = """
            p="$1"
            [ -e "$p" ] || exit 3
            [ -d "$p" ] && exit 4
            [ -r "$p" ] || exit 5
            base64 -w 0 -- "$p"
            """;

    public SlurpModule() {
        super("slurp", SPEC, CheckMode.FULL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        String src = args.str("src");
        ExecResult r = HostCommands.script(ctx, SCRIPT, src);
        return switch (r.exitCode()) {
            case 0 -> Result.ok(Result.data("content", r.stdout().strip(), "source", src, "encoding", "base64"));
            case 3 -> Result.failed("file not found: " + src);
            case 4 -> Result.failed("source is a directory and must be a file: " + src);
            case 5 -> Result.failed("file is not readable: " + src);
            default -> Result.failed("unable to slurp file: " + (r.stderr().isBlank() ? "rc=" + r.exitCode()
                    : r.stderr().strip()));
        };
    }
}
