package io.budgetctl.engine.exec;

import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Module;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.ModuleRegistry;
import io.budgetctl.engine.module.Result;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Small but real modules for engine tests (the production ones live in the modules Maven module, which the engine
 * must not depend on): shell/command run a real process, touch/lineadd write real files through the connection.
 */
public final class TestModules {
    private TestModules() {
    }

    public static ModuleRegistry registry() {
        return new ModuleRegistry(List.of(new Shell("shell"), new Shell("command"), new Touch(), new Debug(),
                new SetFact(), new Fail(), new Assert(), new Append(),
                // stands in for pause, whose action Ansible runs once per batch (BYPASS_HOST_LOOP)
                new Shell("pause")));
    }

    static final class Shell implements Module {
        private final String name;

        Shell(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public ArgSpec spec() {
            return ArgSpec.builder().freeForm("_raw_params").arg("chdir", ArgSpec.Arg.of("str"))
                    .arg("creates", ArgSpec.Arg.of("str")).build();
        }

        public CheckMode checkMode() {
            return CheckMode.NONE;
        }

        public Result run(ModuleContext ctx, Map<String, Object> args) {
            Object creates = args.get("creates");
            if (creates != null && ctx.connection().stat(String.valueOf(creates), ctx.become()).isPresent()) {
                return new Result.Skipped("Did not run command since '" + creates + "' exists",
                        Result.data("rc", 0, "stdout", "skipped, since " + creates + " exists"));
            }
            ExecRequest req = ExecRequest.shell(String.valueOf(args.get("_raw_params")));
            if (args.get("chdir") != null) {
                req = req.withCwd(String.valueOf(args.get("chdir")));
            }
            ExecResult r = ctx.exec(req);
            Map<String, Object> data = Result.data("rc", r.exitCode(), "stdout", r.stdout().stripTrailing(),
                    "stderr", r.stderr().stripTrailing(), "cmd", args.get("_raw_params"),
                    "stdout_lines", List.of(r.stdout().stripTrailing().split("\n")));
            if (r.exitCode() != 0) {
                return Result.failed("non-zero return code", data);
            }
            return Result.changed(data);
        }
    }

    /** Creates an empty file when missing; with check mode support. */
    static final class Touch implements Module {
        public String name() {
            return "touch";
        }

        public ArgSpec spec() {
            return ArgSpec.builder().arg("path", ArgSpec.Arg.required("path").withAliases("dest"))
                    .arg("state", ArgSpec.Arg.of("str").withChoices("present", "absent").withDefault("present"))
                    .build();
        }

        public CheckMode checkMode() {
            return CheckMode.FULL;
        }

        public Result run(ModuleContext ctx, Map<String, Object> args) {
            String path = String.valueOf(args.get("path"));
            boolean exists = ctx.connection().stat(path, ctx.become()).isPresent();
            boolean want = "present".equals(args.get("state"));
            if (exists == want) {
                return Result.ok(Result.data("path", path));
            }
            if (!ctx.check()) {
                if (want) {
                    ctx.connection().write(path, new byte[0], null, null, null, ctx.become());
                } else {
                    ctx.exec(ExecRequest.of("rm", "-f", "--", path));
                }
            }
            return Result.changed(Result.data("path", path));
        }
    }

    /** Appends a line to a file (always changed): lets tests observe order and count of runs. */
    static final class Append implements Module {
        public String name() {
            return "lineadd";
        }

        public ArgSpec spec() {
            return ArgSpec.builder().arg("path", ArgSpec.Arg.required("path")).arg("line", ArgSpec.Arg.required("str"))
                    .build();
        }

        public CheckMode checkMode() {
            return CheckMode.FULL;
        }

        public Result run(ModuleContext ctx, Map<String, Object> args) {
            String path = String.valueOf(args.get("path"));
            if (ctx.check()) {
                return Result.changed(Map.of());
            }
            String before = ctx.connection().read(path, ctx.become())
                    .map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
            ctx.connection().write(path, (before + args.get("line") + "\n").getBytes(StandardCharsets.UTF_8), null,
                    null, null, ctx.become());
            return Result.changed(Result.data("line", String.valueOf(args.get("line"))));
        }
    }

    static final class Debug implements Module {
        public String name() {
            return "debug";
        }

        public ArgSpec spec() {
            return ArgSpec.builder().arg("msg", ArgSpec.Arg.of("raw")).arg("var", ArgSpec.Arg.of("str"))
                    .arg("verbosity", ArgSpec.Arg.of("int")).build();
        }

        public CheckMode checkMode() {
            return CheckMode.FULL;
        }

        public Result run(ModuleContext ctx, Map<String, Object> args) {
            if (args.get("var") != null) {
                String v = String.valueOf(args.get("var"));
                Object value = ctx.templater().evaluate(v, ctx.vars(), ctx.location());
                Map<String, Object> d = new LinkedHashMap<>();
                d.put(v, value);
                return Result.ok(d);
            }
            Object msg = args.getOrDefault("msg", "Hello world!");
            return new Result.Ok(String.valueOf(msg), Result.data("msg", msg));
        }
    }

    static final class SetFact implements Module {
        public String name() {
            return "set_fact";
        }

        public ArgSpec spec() {
            return ArgSpec.builder().arg("cacheable", ArgSpec.Arg.of("bool")).anyArgs().build();
        }

        public CheckMode checkMode() {
            return CheckMode.FULL;
        }

        public Result run(ModuleContext ctx, Map<String, Object> args) {
            Map<String, Object> facts = new LinkedHashMap<>(args);
            facts.remove("cacheable");
            return Result.ok(Result.data("ansible_facts", facts));
        }
    }

    static final class Fail implements Module {
        public String name() {
            return "fail";
        }

        public ArgSpec spec() {
            return ArgSpec.builder().arg("msg", ArgSpec.Arg.of("str")).build();
        }

        public CheckMode checkMode() {
            return CheckMode.FULL;
        }

        public Result run(ModuleContext ctx, Map<String, Object> args) {
            return Result.failed(String.valueOf(args.getOrDefault("msg", "Failed as requested from task")));
        }
    }

    static final class Assert implements Module {
        public String name() {
            return "assert";
        }

        public ArgSpec spec() {
            return ArgSpec.builder().arg("that", ArgSpec.Arg.required("list")).arg("fail_msg", ArgSpec.Arg.of("str"))
                    .arg("success_msg", ArgSpec.Arg.of("str")).build();
        }

        public CheckMode checkMode() {
            return CheckMode.FULL;
        }

        public Result run(ModuleContext ctx, Map<String, Object> args) {
            Object that = args.get("that");
            List<Object> conds = that instanceof List<?> l ? new ArrayList<>(l) : List.of(that);
            for (Object c : conds) {
                if (!ctx.templater().isTrue(String.valueOf(c), ctx.vars(), ctx.location())) {
                    return Result.failed(String.valueOf(args.getOrDefault("fail_msg", "Assertion failed")),
                            Result.data("assertion", c, "evaluated_to", false));
                }
            }
            return new Result.Ok("All assertions passed", Map.of());
        }
    }

    static Set<String> names() {
        return Set.copyOf(registry().names());
    }
}
