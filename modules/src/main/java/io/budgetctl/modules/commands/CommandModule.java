package io.budgetctl.modules.commands;

import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.modules.BadArgument;
import java.util.ArrayList;
import java.util.List;

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
    List<String> argv(String raw, Args args) {
        boolean hasRaw = raw != null && !raw.isBlank();
        if (hasRaw && args.has("argv")) {
            throw new BadArgument("only command or argv can be given, not both");
        }
        List<String> words = new ArrayList<>();
        if (args.has("argv")) {
            // a list, or text split at commas as Ansible's list type does
            for (Object o : args.list("argv")) {
                words.add(String.valueOf(o));
            }
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
