package io.budgetctl.modules;

import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.modules.CommandSupport.BadArgument;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * {@code command}: runs a program on the host without a shell. The free-form string is split like Python's
 * shlex; {@code argv} gives the words as a list instead. Pipes, redirects and {@code $VARS} are not interpreted
 * (use {@code shell} for that).
 */
public final class CommandModule extends CommandModuleBase {
    private static final ArgSpec SPEC = commonSpec().arg("argv", Arg.of("list")).build();

    public CommandModule() {
        super("command", SPEC);
    }

    @Override
    List<String> argv(String raw, Map<String, Object> args) {
        Object argv = args.get("argv");
        boolean hasRaw = raw != null && !raw.isBlank();
        if (hasRaw && argv != null) {
            throw new BadArgument("only command or argv can be given, not both");
        }
        List<String> words = new ArrayList<>();
        if (argv instanceof Collection<?> c) {
            for (Object o : c) {
                words.add(String.valueOf(o));
            }
        } else if (argv != null) {
            throw new BadArgument("argument 'argv' must be a list of strings; got: " + argv);
        } else if (hasRaw) {
            words.addAll(CommandSupport.shlexSplit(raw));
        }
        if (words.isEmpty() || words.get(0).isBlank()) {
            throw new BadArgument("no command given");
        }
        return words;
    }

    @Override
    Object displayCmd(String raw, List<String> argv) {
        return copy(argv);
    }
}
