package io.budgetctl.engine.playbook;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads a playbook file into {@link Play}s, expanding everything Ansible expands statically — {@code roles:}
 * (with meta dependencies), {@code import_role}, {@code import_tasks}, {@code import_playbook}. This class turns
 * YAML into the model: it reports YAML that does not have the shape of a playbook (a list where a mapping belongs,
 * a task without its module mapping, arguments it cannot split) and what it cannot expand (files and roles not
 * found, import cycles, names templated where the file must be read now). The rules the content must follow are
 * {@link PlaybookValidator}'s, which this class calls on each piece as soon as it has read it, so the first problem
 * in the files is the one reported. Every problem is an {@link EngineException} at the file:line:column of the
 * offending key. Nothing is templated.
 */
public final class PlaybookLoader {
    private final LoadOptions options;
    private final Path playbookDir;
    private final PlaybookValidator validator;
    /** Roles expanded into the play being loaded (roles:, import_role), in order. */
    private List<Role> playRoles = new ArrayList<>();
    /** The names of the import_roles met since {@link #takeImported} last took them, each after those it imports. */
    private List<String> imported = new ArrayList<>();

    public PlaybookLoader(LoadOptions options, Path playbookDir) {
        this.options = options;
        this.playbookDir = playbookDir.toAbsolutePath().normalize();
        this.validator = new PlaybookValidator(options.modules());
    }

    /** Loads and validates {@code file}. */
    public static Playbook load(Path file, LoadOptions options) {
        Path abs = file.toAbsolutePath().normalize();
        PlaybookLoader loader = new PlaybookLoader(options, abs.getParent());
        return new Playbook(file, loader.loadPlays(abs, new LinkedHashSet<>()));
    }

    private List<Play> loadPlays(Path file, Set<Path> stack) {
        if (!stack.add(file)) {
            throw new EngineException(SourceLocation.of(file.toString()), "playbook imports itself (cycle)",
                    "remove the import_playbook that leads back to this file");
        }
        Object doc = YamlLoader.load(file);
        if (doc == null) {
            throw new EngineException(SourceLocation.of(file.toString()), "empty playbook, nothing to do",
                    "a playbook is a list of plays: - hosts: all\\n  tasks: [...]");
        }
        if (!(doc instanceof YamlList list)) {
            throw new EngineException(at(doc, file), "a playbook must be a list of plays",
                    "start each play with '- hosts: ...'");
        }
        List<Play> plays = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object entry = list.get(i);
            if (!(entry instanceof YamlMap m)) {
                throw new EngineException(list.locationOf(i), "a play must be a mapping, got " + describe(entry),
                        "start each play with '- hosts: ...'");
            }
            String imp = firstKey(m, "import_playbook", "ansible.builtin.import_playbook", "include");
            if (imp != null) {
                plays.addAll(importPlaybook(m, imp, file, stack));
            } else {
                plays.add(parsePlay(m, file));
            }
        }
        stack.remove(file);
        return plays;
    }

    private List<Play> importPlaybook(YamlMap m, String key, Path file, Set<Path> stack) {
        validator.importPlaybook(m, key);
        String target = String.valueOf(m.get(key)).strip();
        if (target.contains("{{")) {
            throw new EngineException(m.locationOf(key), "import_playbook target must not be templated",
                    "write the file name literally");
        }
        Path p = file.getParent().resolve(target).normalize();
        if (!Files.isRegularFile(p)) {
            throw new EngineException(m.locationOf(key), "imported playbook not found: " + p,
                    "paths are relative to the importing playbook's directory");
        }
        List<Play> out = new ArrayList<>();
        for (Play play : loadPlays(p, stack)) {
            Map<String, Object> kw = new LinkedHashMap<>(play.kw());
            if (m.get("vars") instanceof Map<?, ?> v) {
                Map<String, Object> vars = new LinkedHashMap<>(asMap(kw.get("vars")));
                v.forEach((a, b) -> vars.put(String.valueOf(a), b));
                kw.put("vars", vars);
            }
            if (m.containsKey("tags")) {
                List<String> tags = new ArrayList<>(Keywords.tags(kw.get("tags")));
                tags.addAll(Keywords.tags(m.get("tags")));
                kw.put("tags", tags);
            }
            if (m.containsKey("when")) {
                List<Object> when = new ArrayList<>(whenList(m.get("when")));
                when.addAll(whenList(kw.get("when")));
                kw.put("when", when);
            }
            out.add(new Play(play.location(), play.name(), play.hosts(), kw, play.preTasks(), play.roles(),
                    play.tasks(), play.postTasks(), play.handlerBlocks(), play.playRoles(), play.roleNames(),
                    play.baseDir()));
        }
        return out;
    }

    private Play parsePlay(YamlMap m, Path file) {
        playRoles = new ArrayList<>();
        validator.play(m);
        Object hosts = m.get("hosts");
        String pattern = hosts instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                : String.valueOf(hosts);
        Map<String, Object> kw = new LinkedHashMap<>();
        for (String k : m.keySet()) {
            if (!Set.of("hosts", "name", "pre_tasks", "roles", "tasks", "post_tasks", "handlers").contains(k)) {
                kw.put(k, m.get(k));
            }
        }
        kw.put("vars", playVars(m));
        imported = new ArrayList<>();
        List<Node> pre = parseTasks(m, "pre_tasks", file, null);
        List<String> preImports = takeImported();
        List<Node> roles = new ArrayList<>();
        List<String> roleNames = new ArrayList<>();
        Object roleList = m.get("roles");
        if (roleList != null) {
            if (!(roleList instanceof YamlList rl)) {
                throw new EngineException(m.locationOf("roles"), "'roles' must be a list",
                        "write roles:\\n  - name_of_role");
            }
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < rl.size(); i++) {
                Block b = roleEntry(rl.get(i), rl.locationOf(i), file, null, seen);
                if (b != null) {
                    roles.add(b);
                }
                roleNames.add(roleEntryName(rl.get(i)));
            }
        }
        List<String> roleImports = takeImported();
        List<Node> tasks = parseTasks(m, "tasks", file, null);
        List<String> taskImports = takeImported();
        List<Node> post = parseTasks(m, "post_tasks", file, null);
        // role_names as ansible-core 2.14 builds play.roles: every roles: entry (one run once for being the same as
        // another too), then the import_roles in the order it loads the play's parts: roles, pre, post, tasks
        for (List<String> names : List.of(roleImports, preImports, takeImported(), taskImports)) {
            roleNames.addAll(names);
        }
        List<List<Task>> handlers = new ArrayList<>();
        for (Role r : playRoles) {
            handlers.addAll(r.handlerBlocks());
        }
        handlers.addAll(handlerBlocks(parseTasksAs(m, "handlers", file, null, true)));
        Object name = m.get("name");
        Play play = new Play(m.location(), name == null ? null : String.valueOf(name), pattern, kw, pre, roles, tasks,
                post, handlers, List.copyOf(playRoles), List.copyOf(roleNames), playbookDir);
        validator.notifyTargets(play);
        return play;
    }

    private static Map<String, Object> playVars(YamlMap m) {
        Object v = m.get("vars");
        if (v == null) {
            return new LinkedHashMap<>();
        }
        if (v instanceof Map<?, ?>) {
            return asMap(v);
        }
        if (v instanceof List<?> l) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Object o : l) {
                if (!(o instanceof Map<?, ?>)) {
                    throw new EngineException(m.locationOf("vars"), "'vars' must be a mapping (or list of mappings)",
                            "write vars:\\n  name: value");
                }
                out.putAll(asMap(o));
            }
            return out;
        }
        throw new EngineException(m.locationOf("vars"), "'vars' must be a mapping, got " + describe(v),
                "write vars:\\n  name: value");
    }

    /**
     * A list of handlers (a play's {@code handlers:} or a role's handlers file) grouped into blocks as Ansible 2.14
     * does: each {@code block:} is one, and so is each run of handlers between them (import_tasks inlines its
     * handlers into the run it stands in). The grouping decides which of two handlers of the same name a notify
     * reaches: blocks are searched from the last one loaded, each block from its first handler. Handlers have no
     * rescue or always, so a block's handlers are its block part, nested blocks flattened.
     */
    static List<List<Task>> handlerBlocks(List<Node> handlers) {
        List<List<Task>> out = new ArrayList<>();
        List<Task> run = null;
        for (Node n : handlers) {
            if (n instanceof Block b && !b.implicit()) {
                List<Task> block = new ArrayList<>();
                flattenHandlers(b, block);
                out.add(block);
                run = null;
            } else {
                if (run == null) {
                    run = new ArrayList<>();
                    out.add(run);
                }
                flattenHandlers(n, run);
            }
        }
        return out;
    }

    private static void flattenHandlers(Node n, List<Task> out) {
        if (n instanceof Task t) {
            out.add(t);
        } else if (n instanceof Block b) {
            for (Node c : b.block()) {
                flattenHandlers(c, out);
            }
        }
    }

    // ---------------------------------------------------------------- tasks

    private List<Node> parseTasks(YamlMap owner, String key, Path file, Role role) {
        return parseTasksAs(owner, key, file, role, false);
    }

    private List<Node> parseTasksAs(YamlMap owner, String key, Path file, Role role, boolean handlers) {
        Object v = owner.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof YamlList l)) {
            throw new EngineException(owner.locationOf(key), "'" + key + "' must be a list of tasks, got "
                    + describe(v), "start each task with '- name: ...'");
        }
        return parseTaskList(l, file, role, handlers);
    }

    /** Parses a list of tasks/blocks written in {@code file}, belonging to {@code role} (may be null). */
    public List<Node> parseTaskList(YamlList l, Path file, Role role, boolean handlers) {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            Object o = l.get(i);
            if (!(o instanceof YamlMap tm)) {
                throw new EngineException(l.locationOf(i), "a task must be a mapping, got " + describe(o),
                        "write '- name: ...' followed by the module on the next line, indented");
            }
            Node n = parseNode(tm, file, role, handlers);
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }

    /** Loads a task file (include_tasks at run time; import_tasks at load time). */
    public List<Node> loadTaskFile(Path path, Role role, SourceLocation from) {
        Object doc = YamlLoader.load(path);
        if (doc == null) {
            return List.of();
        }
        if (!(doc instanceof YamlList l)) {
            throw new EngineException(at(doc, path), "a task file must be a list of tasks, got " + describe(doc),
                    "start each task with '- name: ...'");
        }
        return parseTaskList(l, path, role, false);
    }

    private Node parseNode(YamlMap m, Path file, Role role, boolean handler) {
        if (m.containsKey("block")) {
            return parseBlock(m, file, role, handler);
        }
        return parseTask(m, file, role, handler);
    }

    private Block parseBlock(YamlMap m, Path file, Role role, boolean handler) {
        validator.block(m);
        Map<String, Object> kw = m.without(Set.of("block", "rescue", "always", "name"));
        return new Block(m.location(), m.get("name") == null ? null : String.valueOf(m.get("name")),
                parseTasksAs(m, "block", file, role, handler), parseTasksAs(m, "rescue", file, role, handler),
                parseTasksAs(m, "always", file, role, handler), kw, role, false);
    }

    private Node parseTask(YamlMap m, Path file, Role role, boolean handler) {
        // exactly one action from here on (actions.get(0) below relies on it)
        validator.taskKeys(m, handler);
        List<String> actions = Keywords.actionKeys(m);
        String key = Keywords.actionKeyword(m);
        String action;
        Object rawArgs;
        SourceLocation actionAt;
        Map<String, Object> extraKw = new LinkedHashMap<>();
        if (key != null) {
            actionAt = m.locationOf(key);
            Object v = m.get(key);
            if (v instanceof Map<?, ?> am) {
                Map<String, Object> a = asMap(am);
                Object mod = a.remove("module");
                if (mod == null) {
                    throw new EngineException(actionAt, "'" + key + "' mapping needs a 'module' key",
                            "write " + key + ":\\n  module: copy\\n  src: ...");
                }
                action = String.valueOf(mod);
                rawArgs = a;
            } else {
                String s = String.valueOf(v).strip();
                int sp = s.indexOf(' ');
                action = sp < 0 ? s : s.substring(0, sp);
                rawArgs = sp < 0 ? null : s.substring(sp + 1);
            }
            if (key.equals("local_action")) {
                extraKw.put("delegate_to", "localhost");
            }
        } else {
            action = actions.get(0);
            rawArgs = m.get(action);
            actionAt = m.locationOf(action);
        }
        action = Actions.canonical(action);
        // before the arguments: the module decides whether key=value text is free-form
        validator.knownAction(action, actionAt);
        Map<String, Object> args = buildArgs(action, rawArgs, m, actionAt);
        List<String> drop = new ArrayList<>(List.of("name", "action", "local_action", "args"));
        drop.addAll(actions);
        Map<String, Object> kw = m.without(drop);
        kw.putAll(extraKw);
        // before an import is followed, so a wrong import_tasks/import_role line is reported before its content
        validator.keywordValues(m);
        Object nameObj = m.get("name");
        String name = nameObj == null ? null : String.valueOf(nameObj);
        if (action.equals(Actions.IMPORT_TASKS)) {
            return importTasks(m, args, kw, file, role, actionAt);
        }
        if (action.equals(Actions.IMPORT_ROLE)) {
            return importRole(m, args, kw, file, role, actionAt);
        }
        validator.taskArgs(action, args, actionAt);
        return new Task(m.location(), name, action, args, kw, role, handler);
    }

    private Map<String, Object> buildArgs(String action, Object rawArgs, YamlMap m, SourceLocation at) {
        Map<String, Object> args = new LinkedHashMap<>();
        Object extra = m.get("args");
        if (extra instanceof Map<?, ?> em) {
            args.putAll(asMap(em));
        } else if (extra instanceof String s) {
            args.put("_variable_params", s);
        } else if (extra != null) {
            throw new EngineException(m.locationOf("args"), "'args' must be a mapping, got " + describe(extra),
                    "write args:\\n  key: value");
        }
        if (rawArgs instanceof Map<?, ?> rm) {
            args.putAll(asMap(rm));
        } else if (rawArgs instanceof List<?>) {
            throw new EngineException(at, "arguments of '" + action + "' must be a mapping or key=value text, "
                    + "got a list", "write " + action + ":\\n  key: value");
        } else if (rawArgs != null) {
            String text = String.valueOf(rawArgs);
            boolean freeForm = freeFormModule(action);
            args.putAll(KvParser.parse(text, freeForm));
        }
        return args;
    }

    private boolean freeFormModule(String action) {
        if (Set.of(Actions.INCLUDE_TASKS, Actions.IMPORT_TASKS, Actions.INCLUDE_ROLE, Actions.IMPORT_ROLE,
                Actions.META, Actions.INCLUDE_VARS).contains(action)) {
            return true;
        }
        return options.modules().find(action).map(mod -> mod.spec().freeForm() != null).orElse(false);
    }

    // ---------------------------------------------------------------- imports

    private Block importTasks(YamlMap m, Map<String, Object> args, Map<String, Object> kw, Path file, Role role,
                              SourceLocation at) {
        String target = fileArg(args, at, Actions.IMPORT_TASKS);
        if (target.contains("{{")) {
            throw new EngineException(at, "import_tasks file name must not be templated: " + target,
                    "use include_tasks for a file name decided at run time");
        }
        Path p = resolveTaskFile(target, file, role).orElseThrow(() -> new EngineException(at,
                "imported task file not found: " + target, "searched: " + searchedTaskDirs(file, role)));
        kw.remove("loop");
        if (kw.keySet().stream().anyMatch(Keywords::isLoopKeyword)) {
            throw new EngineException(at, "import_tasks cannot loop", "use include_tasks with loop");
        }
        return new Block(m.location(), null, loadTaskFile(p, role, at), null, null, kw, role, true);
    }

    private static String fileArg(Map<String, Object> args, SourceLocation at, String action) {
        Object f = args.containsKey("file") ? args.get("file") : args.get("_raw_params");
        if (f == null || String.valueOf(f).isBlank()) {
            throw new EngineException(at, action + " needs a file name", "write " + action + ": other.yml");
        }
        return String.valueOf(f).strip();
    }

    /** Task files are found beside the including file, in the role's tasks/ directory, then the playbook directory. */
    public Optional<Path> resolveTaskFile(String target, Path fromFile, Role role) {
        Path t = Path.of(target);
        if (t.isAbsolute()) {
            return Files.isRegularFile(t) ? Optional.of(t) : Optional.empty();
        }
        List<Path> dirs = new ArrayList<>();
        if (role != null) {
            dirs.add(role.path().resolve("tasks"));
        }
        if (fromFile != null && fromFile.getParent() != null) {
            dirs.add(fromFile.getParent());
        }
        if (role != null) {
            dirs.add(role.path());
        }
        dirs.add(playbookDir);
        for (Path d : dirs) {
            Path c = d.resolve(target).normalize();
            if (Files.isRegularFile(c)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private String searchedTaskDirs(Path file, Role role) {
        List<String> d = new ArrayList<>();
        if (role != null) {
            d.add(role.path().resolve("tasks").toString());
        }
        if (file != null && file.getParent() != null) {
            d.add(file.getParent().toString());
        }
        d.add(playbookDir.toString());
        return String.join(", ", d);
    }

    private Block importRole(YamlMap m, Map<String, Object> args, Map<String, Object> kw, Path file, Role parent,
                             SourceLocation at) {
        RoleCall call = roleCall(args, at, Actions.IMPORT_ROLE);
        // like Ansible, import_role vars become the role's vars, visible to the whole play
        Map<String, Object> vars = asMap(kw.remove("vars"));
        Block b = expandRole(call.name(), Map.of(), vars, kw, at, call, parent, null, true);
        imported.add(call.name());
        return b;
    }

    /** The import_roles met since the last call, and from now on none. */
    private List<String> takeImported() {
        List<String> out = imported;
        imported = new ArrayList<>();
        return out;
    }

    /** include_role/import_role options. */
    public record RoleCall(String name, String tasksFrom, String varsFrom, String defaultsFrom, String handlersFrom) {
    }

    public static RoleCall roleCall(Map<String, Object> args, SourceLocation at, String action) {
        PlaybookValidator.roleCall(args, at, action);
        return new RoleCall(String.valueOf(args.get("name")), str(args.get("tasks_from")), str(args.get("vars_from")),
                str(args.get("defaults_from")), str(args.get("handlers_from")));
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    // ---------------------------------------------------------------- roles

    /** The role a roles: or dependencies: entry names: the text, or a mapping's role (or name); null for none. */
    private static String roleEntryName(Object entry) {
        Object n = entry instanceof YamlMap rm ? rm.containsKey("role") ? rm.get("role") : rm.get("name") : entry;
        return n == null ? null : String.valueOf(n);
    }

    private Block roleEntry(Object entry, SourceLocation at, Path file, Role parent, Set<String> seen) {
        String name;
        Map<String, Object> params = new LinkedHashMap<>();
        Map<String, Object> kw = new LinkedHashMap<>();
        Map<String, Object> vars = new LinkedHashMap<>();
        if (entry instanceof String s) {
            name = s;
        } else if (entry instanceof YamlMap rm) {
            name = roleEntryName(rm);
            if (name == null) {
                throw new EngineException(rm.location(), "role entry needs 'role' (or 'name')",
                        "write - role: myrole");
            }
            for (String k : rm.keySet()) {
                if (k.equals("role") || k.equals("name")) {
                    continue;
                }
                if (k.equals("vars")) {
                    vars.putAll(asMap(rm.get(k)));
                } else if (Keywords.ROLE_ENTRY.contains(k)) {
                    PlaybookValidator.refuseUnsupported(rm, k);
                    kw.put(k, rm.get(k));
                } else {
                    params.put(k, rm.get(k));
                }
            }
            at = rm.location();
        } else {
            throw new EngineException(at, "a role entry must be a name or a mapping, got " + describe(entry),
                    "write - myrole or - role: myrole");
        }
        String key = name + params;
        if (seen != null && !seen.add(key)) {
            return null;
        }
        return expandRole(name, params, vars, kw, at, new RoleCall(name, null, null, null, null), parent, seen, false);
    }

    /**
     * Loads role {@code name} and returns its content as an implicit block: dependencies first, then its tasks.
     * The role (and its dependencies) are added to the play's roles, so their defaults and vars are visible to the
     * whole play as in Ansible.
     */
    public Block expandRole(String name, Map<String, Object> params, Map<String, Object> entryVars,
                            Map<String, Object> kw, SourceLocation at, RoleCall call, Role parent, Set<String> seen,
                            boolean addHandlersToPlay) {
        if (name.contains("{{")) {
            throw new EngineException(at, "role name must not be templated here: " + name,
                    "use include_role with a literal name, or write the role name directly");
        }
        Path dir = findRole(name, parent, at);
        Map<String, Object> defaults = loadVarsFile(dir.resolve("defaults"), call.defaultsFrom(), at);
        Map<String, Object> vars = new LinkedHashMap<>(entryVars);
        vars.putAll(loadVarsFile(dir.resolve("vars"), call.varsFrom(), at));
        List<Role> deps = new ArrayList<>();
        List<Node> body = new ArrayList<>();
        Path meta = yamlFile(dir.resolve("meta"), "main");
        Role role;
        List<Object> depEntries = new ArrayList<>();
        List<SourceLocation> depAt = new ArrayList<>();
        if (meta != null) {
            Object md = YamlLoader.load(meta);
            if (md instanceof YamlMap mm && mm.get("dependencies") instanceof YamlList dl) {
                for (int i = 0; i < dl.size(); i++) {
                    depEntries.add(dl.get(i));
                    depAt.add(dl.locationOf(i));
                }
            }
        }
        role = null;
        Role placeholder = new Role(name, dir, defaults, vars, params, List.of());
        for (int i = 0; i < depEntries.size(); i++) {
            Block b = roleEntry(depEntries.get(i), depAt.get(i), meta, placeholder, seen);
            if (b != null) {
                deps.add(b.role());
                body.add(b);
            }
        }
        role = new Role(name, dir, defaults, vars, params, deps);
        Path tasksFile = yamlFile(dir.resolve("tasks"), call.tasksFrom() == null ? "main" : call.tasksFrom());
        if (call.tasksFrom() != null && tasksFile == null) {
            throw new EngineException(at, "role '" + name + "' has no tasks file '" + call.tasksFrom() + "'",
                    "looked in " + dir.resolve("tasks"));
        }
        if (tasksFile != null) {
            body.addAll(loadTaskFile(tasksFile, role, at));
        }
        Path handlersFile = yamlFile(dir.resolve("handlers"),
                call.handlersFrom() == null ? "main" : call.handlersFrom());
        if (handlersFile != null) {
            Object hd = YamlLoader.load(handlersFile);
            if (hd instanceof YamlList hl) {
                role.addHandlers(handlerBlocks(parseTaskList(hl, handlersFile, role, true)));
            } else if (hd != null) {
                throw new EngineException(at(hd, handlersFile), "handlers file must be a list of handlers", null);
            }
        }
        playRoles.add(role);
        return new Block(at, null, body, null, null, kw, role, true);
    }

    /** Roles of the play being loaded (for include_role at run time to register into). */
    public List<Role> playRoles() {
        return playRoles;
    }

    private Path findRole(String name, Role parent, SourceLocation at) {
        List<Path> tried = new ArrayList<>();
        Path asPath = Path.of(name);
        if (asPath.isAbsolute()) {
            tried.add(asPath);
        } else {
            if (parent != null && parent.path().getParent() != null) {
                tried.add(parent.path().getParent().resolve(name));
            }
            tried.add(playbookDir.resolve("roles").resolve(name));
            for (Path p : options.rolesPath()) {
                tried.add(p.resolve(name));
            }
            tried.add(playbookDir.resolve(name));
        }
        for (Path p : tried) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new EngineException(at, "the role '" + name + "' was not found",
                "looked in: " + String.join(", ", new LinkedHashSet<>(tried.stream().map(Path::toString).toList()))
                        + "; set BUDGETCTL_ROLES_PATH to add directories");
    }

    private static Path yamlFile(Path dir, String base) {
        for (String c : List.of(base, base + ".yml", base + ".yaml")) {
            Path p = dir.resolve(c);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static Map<String, Object> loadVarsFile(Path dir, String base, SourceLocation at) {
        Path f = yamlFile(dir, base == null ? "main" : base);
        if (f == null) {
            if (base != null) {
                throw new EngineException(at, "vars file '" + base + "' not found in " + dir, null);
            }
            return new LinkedHashMap<>();
        }
        Object d = YamlLoader.load(f);
        if (d == null) {
            return new LinkedHashMap<>();
        }
        if (!(d instanceof Map<?, ?>)) {
            throw new EngineException(at(d, f), "a vars file must be a mapping, got " + describe(d),
                    "write name: value lines");
        }
        return asMap(d);
    }

    // ---------------------------------------------------------------- helpers

    static List<Object> whenList(Object w) {
        if (w == null) {
            return List.of();
        }
        if (w instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        return List.of(w);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> asMap(Object o) {
        if (o == null) {
            return new LinkedHashMap<>();
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        throw new IllegalArgumentException("not a mapping: " + o);
    }

    private static String firstKey(Map<String, Object> m, String... keys) {
        for (String k : keys) {
            if (m.containsKey(k)) {
                return k;
            }
        }
        return null;
    }

    static String describe(Object o) {
        if (o == null) {
            return "nothing";
        }
        if (o instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (o instanceof List<?>) {
            return "a list";
        }
        if (o instanceof String s) {
            return "the text '" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        return "the value " + o;
    }

    private static SourceLocation at(Object doc, Path file) {
        if (doc instanceof YamlMap m) {
            return m.location();
        }
        if (doc instanceof YamlList l) {
            return l.location();
        }
        return new SourceLocation(file.toString(), 1, 1);
    }
}
