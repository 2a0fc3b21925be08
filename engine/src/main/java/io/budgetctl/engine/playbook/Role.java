package io.budgetctl.engine.playbook;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One loaded use of a role: its directory, defaults/main.yml, vars/main.yml (plus {@code vars:} written on the
 * role entry), the parameters it was called with, its dependencies (meta/main.yml) and handlers. Tasks are not
 * kept here: they are expanded into the task tree as an implicit {@link Block} carrying this role.
 */
public final class Role {
    private final String name;
    private final Path path;
    private final Map<String, Object> defaults;
    private final Map<String, Object> vars;
    private final Map<String, Object> params;
    private final List<Role> dependencies;
    private final List<List<Task>> handlerBlocks = new ArrayList<>();

    public Role(String name, Path path, Map<String, Object> defaults, Map<String, Object> vars,
                Map<String, Object> params, List<Role> dependencies) {
        this.name = name;
        this.path = path;
        this.defaults = defaults;
        this.vars = vars;
        this.params = params;
        this.dependencies = List.copyOf(dependencies);
    }

    public String name() {
        return name;
    }

    public Path path() {
        return path;
    }

    /** defaults/main.yml of this role. */
    public Map<String, Object> defaults() {
        return defaults;
    }

    /** vars/main.yml of this role (with the role entry's {@code vars:} beneath them). */
    public Map<String, Object> vars() {
        return vars;
    }

    /** Parameters of the role entry ({@code - role: x\n  port: 80}) or include_role/import_role vars. */
    public Map<String, Object> params() {
        return params;
    }

    public List<Role> dependencies() {
        return dependencies;
    }

    /** The handlers of handlers/main.yml (or handlers_from), in order. */
    public List<Task> handlers() {
        return Play.flatten(handlerBlocks);
    }

    /** The same handlers grouped into blocks as Ansible groups them ({@link PlaybookLoader#handlerBlocks}). */
    public List<List<Task>> handlerBlocks() {
        return Collections.unmodifiableList(handlerBlocks);
    }

    void addHandlers(List<List<Task>> blocks) {
        handlerBlocks.addAll(blocks);
    }

    @Override
    public String toString() {
        return name + " (" + path + ")";
    }
}
