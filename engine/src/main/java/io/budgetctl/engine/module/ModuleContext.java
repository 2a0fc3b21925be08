package io.budgetctl.engine.module;

import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.connection.Become;
import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.template.Templater;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a module may use for one task on one host. Created by the executor per task; in tests build one with
 * {@link SimpleModuleContext}.
 */
public interface ModuleContext {
    /** Inventory name of the host. */
    String host();

    Connection connection();

    /** --check: change nothing, report what would change. */
    boolean check();

    /** --diff: fill {@link Result.Diff}s for file content. */
    boolean diff();

    /** Become settings of this task; pass to every {@link ExecRequest} and file operation. */
    Become become();

    /** The task's {@code environment:}, to add to commands. */
    Map<String, String> environment();

    /** All variables visible to this task on this host (for set_fact, debug, assert, template). */
    Map<String, Object> vars();

    Templater templater();

    /** Where the task is written, for error messages. */
    SourceLocation location();

    /**
     * Finds a controller-side file the way Ansible does: {@code kind} is "files" or "templates"; searched in the
     * role's kind directory, the role directory, the playbook's kind directory, then the playbook directory.
     * Absolute paths are used as given.
     */
    Optional<Path> findFile(String kind, String name);

    /** The base directories {@link #findFile} searches, in order (the role's, then the playbook's). */
    default java.util.List<Path> searchDirs() {
        return java.util.List.of();
    }

    /**
     * True when the value of argument {@code name} was computed from data (a host's answer, a lookup, a secret) rather
     * than written in the playbook: a module must use it as text and never evaluate it as an expression or a template
     * (debug {@code var:}, assert {@code that:}). See docs/security.md.
     */
    default boolean unsafe(String name) {
        return false;
    }

    /**
     * Argument {@code name} as the task wrote it, before templating; null when the task did not write it as its own
     * key (given through {@code args:} from a variable, or by a module test). For a module that, like Ansible's action
     * plugin, looks at what was written: assert's {@code that:} warns of {{ }} in the items of a written list.
     */
    default Object written(String name) {
        return null;
    }

    /**
     * A warning, printed as Ansible's worker prints display.warning: before this host's result line, each text once
     * per task and host (loop items and retries included).
     */
    default void warn(String text) {
    }

    /** Runs a command as this task's become user with its environment. */
    default ExecResult exec(ExecRequest req) {
        ExecRequest r = req.withBecome(req.become().enabled() ? req.become() : become());
        if (!environment().isEmpty()) {
            Map<String, String> env = new java.util.LinkedHashMap<>(environment());
            env.putAll(req.env());
            r = r.withEnv(env);
        }
        return connection().exec(r);
    }
}
