package io.budgetctl.modules.commands;

import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.modules.BadArgument;
import java.util.List;

/**
 * {@code shell}: runs the free-form string with {@code /bin/sh -c} (or {@code executable -c}) on the host, so pipes,
 * redirects, globbing and variables work. The string is passed as one argv word, never re-quoted.
 */
public final class ShellModule extends CommandModuleBase {
    private static final ArgSpec SPEC = commonSpec().arg("executable", Arg.of("path")).build();

    public ShellModule() {
        super("shell", SPEC);
    }

    @Override
    List<String> argv(String raw, Args args) {
        if (raw == null || raw.isBlank()) {
            throw new BadArgument("no command given");
        }
        String exe = args.str("executable");
        return List.of(exe == null || exe.isBlank() ? "/bin/sh" : exe, "-c", raw);
    }

    @Override
    Object displayCmd(String raw, List<String> argv) {
        return raw;
    }
}
