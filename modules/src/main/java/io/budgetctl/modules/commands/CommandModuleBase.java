package io.budgetctl.modules.commands;

import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.ModuleBase;
import io.budgetctl.modules.ModuleOutput;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What command and shell share: free-form parsing, creates/removes/chdir checks on the host, stdin, Ansible's result
 * keys and messages. Subclasses only say how the argv is built.
 */
abstract class CommandModuleBase extends ModuleBase {
    static final String RAW = "_raw_params";

    /**
     * Runs before the command when chdir/creates/removes is given. $1 chdir, $2 creates, $3 removes (empty = not
     * given). Globs in creates/removes expand like Ansible's glob.glob (IFS is empty, so no word splitting). Exit 3:
     * cannot change directory; 4: creates exists; 5: removes does not exist; 0: run the command.
     */
    static final String PRECHECK_SCRIPT = """
            if [ -n "$1" ]; then cd -- "$1" || exit 3; fi
            IFS=
            if [ -n "$2" ]; then for f in $2; do if [ -e "$f" ] || [ -L "$f" ]; then exit 4; fi; done; fi
            if [ -n "$3" ]; then for f in $3; do if [ -e "$f" ] || [ -L "$f" ]; then exit 0; fi; done; exit 5; fi
            exit 0
            """;

    static ArgSpec.Builder commonSpec() {
        return ArgSpec.builder()
                .freeForm(RAW)
                .arg("cmd", Arg.of("str"))
                .arg("creates", Arg.of("path"))
                .arg("removes", Arg.of("path"))
                .arg("chdir", Arg.of("path"))
                .arg("stdin", Arg.of("str"))
                .arg("stdin_add_newline", Arg.of("bool").withDefault(true))
                .arg("strip_empty_ends", Arg.of("bool").withDefault(true));
    }

    CommandModuleBase(String name, ArgSpec spec) {
        // Like Ansible: in check mode the command never runs; creates/removes still decide ok vs. "would run".
        super(name, spec, CheckMode.PARTIAL);
    }

    /** The argv to run, from the (already extracted) raw string and the other arguments. */
    abstract List<String> argv(String raw, Args args);

    /** What {@code cmd} shows in the result: the argv list for command, the string for shell. */
    abstract Object displayCmd(String raw, List<String> argv);

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        String raw = args.str(RAW);
        if (raw == null) {
            raw = args.str("cmd");
        }
        // creates=/chdir=... words were taken out of the task's text when the playbook was loaded (KvParser, as
        // Ansible's parse_kv); the rendered text is only the command: a value such as a host's output that reads
        // "x creates=/" is an argument, never an option
        List<String> argv;
        try {
            argv = argv(raw, args);
        } catch (BadArgument e) {
            return Result.failed(e.getMessage(), ModuleOutput.map("rc", 256));
        }
        Object shown = displayCmd(raw, argv);
        String chdir = args.str("chdir");
        String creates = args.str("creates");
        String removes = args.str("removes");
        boolean addNewline = args.bool("stdin_add_newline");
        boolean strip = args.bool("strip_empty_ends");

        if (chdir != null || creates != null || removes != null) {
            ExecResult pre = ctx.exec(ExecRequest.of("/bin/sh", "-c", PRECHECK_SCRIPT, "precheck",
                    orEmpty(chdir), orEmpty(creates), orEmpty(removes)));
            switch (pre.exitCode()) {
                case 0:
                    break;
                case 3:
                    return Result.failed("Unable to change directory before execution: "
                            + pre.stderr().strip(), notRun(shown, "", null));
                case 4:
                    return skipBecause(ctx, shown, "'" + creates + "' exists", creates + " exists");
                case 5:
                    return skipBecause(ctx, shown, "'" + removes + "' does not exist", removes + " does not exist");
                default:
                    return Result.failed("could not check chdir/creates/removes on the host (exit "
                            + pre.exitCode() + "): " + pre.stderr().strip(), notRun(shown, "", null));
            }
        }

        if (ctx.check()) {
            Map<String, Object> data = notRun(shown, "", 0);
            String msg = "Command would have run if not in check mode";
            data.put("msg", msg);
            if (creates == null && removes == null) {
                return new Result.Skipped(msg, data);
            }
            return new Result.Changed(msg, data, List.of());
        }

        ExecRequest req = new ExecRequest(argv, stdin(args, addNewline), null, chdir, null, null);
        LocalDateTime start = LocalDateTime.now();
        long t0 = System.nanoTime();
        ExecResult r = ctx.exec(req);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        LocalDateTime end = LocalDateTime.now();
        String out = strip ? ModuleOutput.stripEnds(r.stdout()) : r.stdout();
        String err = strip ? ModuleOutput.stripEnds(r.stderr()) : r.stderr();
        Map<String, Object> data = ModuleOutput.map(
                "cmd", shown,
                "stdout", out,
                "stderr", err,
                "rc", r.exitCode(),
                "start", ModuleOutput.pyDateTime(start),
                "end", ModuleOutput.pyDateTime(end),
                "delta", CommandSupport.pyDelta(took),
                "msg", "",
                "stdout_lines", ModuleOutput.lines(out),
                "stderr_lines", ModuleOutput.lines(err));
        if (r.exitCode() != 0) {
            data.put("msg", "non-zero return code");
            // Ansible reports changed=true on a failed command too; the executor shows it as failed.
            data.put("changed", true);
            return Result.failed("non-zero return code", data);
        }
        return new Result.Changed("", data, List.of());
    }

    private static Result skipBecause(ModuleContext ctx, Object shown, String why, String stdoutWhy) {
        String msg = (ctx.check() ? "Would not run command since " : "Did not run command since ") + why;
        Map<String, Object> data = notRun(shown, "skipped, since " + stdoutWhy, 0);
        data.put("msg", msg);
        return new Result.Ok(msg, data);
    }

    /** Result keys when the command did not run: start/end/delta are null like Ansible's. */
    private static Map<String, Object> notRun(Object shown, String stdout, Integer rc) {
        return ModuleOutput.map(
                "cmd", shown,
                "stdout", stdout,
                "stderr", "",
                "rc", rc,
                "start", null,
                "end", null,
                "delta", null,
                "stdout_lines", ModuleOutput.lines(stdout),
                "stderr_lines", List.of());
    }

    private static byte[] stdin(Args args, boolean addNewline) {
        String in = args.str("stdin");
        if (in == null) {
            return null;
        }
        return (addNewline ? in + "\n" : in).getBytes(StandardCharsets.UTF_8);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    static List<String> copy(List<String> xs) {
        return new ArrayList<>(xs);
    }
}
