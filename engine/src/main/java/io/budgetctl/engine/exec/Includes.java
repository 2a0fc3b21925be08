package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.playbook.Actions;
import io.budgetctl.engine.playbook.Block;
import io.budgetctl.engine.playbook.PlaybookLoader;
import io.budgetctl.engine.playbook.Role;
import io.budgetctl.engine.playbook.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The include actions, which run on the controller rather than the host: include_tasks and include_role load tasks
 * for the executor to insert in the host's cursor (as {@link HostOutcome.Included}), include_vars reads a vars file.
 * Files are found relative to the including file, the task's role and the play's directory. Each takes the include
 * task's already rendered arguments.
 */
final class Includes {
    /** The role the include task belongs to (its scope's, else its own), null outside roles. */
    private final Role role;
    private final SourceLocation at;

    Includes(Role role, SourceLocation at) {
        this.role = role;
        this.at = at;
    }

    /** include_tasks: the file's tasks as a block, added to {@code includes} with {@code params}. */
    Execution tasks(Map<String, Object> args, Map<String, Object> params, PlaybookLoader loader,
                    List<HostOutcome.Included> includes) {
        Object f = args.containsKey("file") ? args.get("file") : args.get("_raw_params");
        if (f == null) {
            throw new EngineException(at, "include_tasks needs a file name", "write include_tasks: other.yml");
        }
        String target = String.valueOf(f).strip();
        Path file = loader.resolveTaskFile(target, Path.of(at.file()), role).orElseThrow(() -> new EngineException(at,
                "Could not find or access '" + target + "'", "paths are relative to the including file, the role's "
                        + "tasks/ directory or the playbook directory"));
        Block b = new Block(at, null, loader.loadTaskFile(file, role, at), null, null, Map.of(), role, true);
        includes.add(new HostOutcome.Included(b, params, role, TaskArgs.applyKw(args), args));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("include", file.toString());
        r.put("include_args", args);
        r.put("changed", false);
        return new Execution(Status.OK, r, List.of(), "included: " + file);
    }

    /**
     * include_role: the role's tasks as a block, added to {@code includes} with {@code params}; a dependency that is
     * one of the play's roles ({@code playRoles}) does not run again.
     */
    Execution role(Map<String, Object> args, Map<String, Object> params, PlaybookLoader loader, List<Role> playRoles,
                   List<HostOutcome.Included> includes) {
        PlaybookLoader.RoleCall call = PlaybookLoader.roleCall(args, at, Actions.INCLUDE_ROLE);
        Set<String> ran = new HashSet<>();
        for (Role r : playRoles) {
            ran.add(r.name() + r.params());
        }
        Block b = loader.expandRole(call.name(), Map.of(), Map.of(), Map.of(), at, call, role, ran, false);
        includes.add(new HostOutcome.Included(b, params, b.role(), TaskArgs.applyKw(args), args));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("include_role", call.name());
        r.put("changed", false);
        return new Execution(Status.OK, r, List.of(), null);
    }

    /**
     * include_vars: the file's variables into {@code incVars} (under {@code name} when given), looked for in the
     * role's vars/ and directory, beside the including file and in the play's directory ({@code baseDir}).
     */
    Execution vars(Map<String, Object> args, Path baseDir, Map<String, Object> incVars) {
        Object f = args.containsKey("file") ? args.get("file") : args.get("_raw_params");
        if (f == null) {
            throw new EngineException(at, "include_vars needs a file name", "write include_vars: vars/x.yml");
        }
        String name = String.valueOf(f).strip();
        List<Path> candidates = new ArrayList<>();
        Path p = Path.of(name);
        if (p.isAbsolute()) {
            candidates.add(p);
        } else {
            if (role != null) {
                candidates.add(role.path().resolve("vars").resolve(name));
                candidates.add(role.path().resolve(name));
            }
            candidates.add(Path.of(at.file()).toAbsolutePath().getParent().resolve("vars").resolve(name));
            candidates.add(Path.of(at.file()).toAbsolutePath().getParent().resolve(name));
            candidates.add(baseDir.resolve("vars").resolve(name));
            candidates.add(baseDir.resolve(name));
        }
        Optional<Path> found = candidates.stream().filter(Files::isRegularFile).findFirst();
        if (found.isEmpty()) {
            throw new EngineException(at, "Could not find or access '" + name + "'", "looked in: " + candidates);
        }
        Object data = YamlLoader.load(found.get());
        Map<String, Object> loaded = data == null ? new LinkedHashMap<>() : PlaybookLoader.asMap(data);
        if (args.get("name") != null) {
            incVars.put(String.valueOf(args.get("name")), loaded);
        } else {
            incVars.putAll(loaded);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ansible_facts", loaded);
        r.put("ansible_included_var_files", List.of(found.get().toString()));
        r.put("changed", false);
        return new Execution(Status.OK, r, List.of(), null);
    }
}
