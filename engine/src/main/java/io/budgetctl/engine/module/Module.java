package io.budgetctl.engine.module;

import java.util.Map;
import java.util.Set;

/**
 * A task module (command, copy, file, ...). Found through {@link java.util.ServiceLoader}: list implementations in
 * {@code META-INF/services/io.budgetctl.engine.module.Module}. An unknown name fails at validate time with the list
 * of known names.
 *
 * <p>Contract: {@link #run} receives arguments already templated and checked against {@link #spec()}. It returns a
 * {@link Result}; it throws only for bugs or a lost host ({@link io.budgetctl.engine.connection.UnreachableException}),
 * never to say "the task failed". In check mode ({@link ModuleContext#check()}) a module with
 * {@link CheckMode#FULL} support changes nothing and reports what would change; the executor never calls a
 * {@link CheckMode#NONE} module in check mode (it reports the task as skipped, visibly).
 */
public interface Module {

    /** Canonical name, e.g. {@code copy}. */
    String name();

    /** Other names this module answers to, e.g. {@code ansible.builtin.copy}, {@code service}. */
    default Set<String> aliases() {
        return Set.of("ansible.builtin." + name());
    }

    /** The arguments this module accepts. */
    ArgSpec spec();

    CheckMode checkMode();

    Result run(ModuleContext ctx, Map<String, Object> args);

    enum CheckMode {
        /** Predicts its outcome exactly without changing anything. */
        FULL,
        /** Predicts, but cannot always tell (e.g. depends on a command's output); says so in the result message. */
        PARTIAL,
        /** Cannot run in check mode; the executor skips it with a visible message. */
        NONE
    }
}
