package io.budgetctl.engine.inventory;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.yaml.YamlLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Hosts, groups and inventory variables, read from Ansible YAML inventories and the {@code group_vars/} and
 * {@code host_vars/} directories beside them, with Ansible 2.14's semantics (see docs/inventory.md):
 * group nesting, the implicit {@code all} and {@code ungrouped} groups, host ranges, variable precedence, host
 * patterns and the implicit {@code localhost}.
 *
 * <p>Immutable once loaded; safe to share between threads.
 */
public final class Inventory {
    /** Names that mean this machine; such a host is created on demand when the inventory does not have it. */
    static final Set<String> LOCALHOST = Set.of("localhost", "127.0.0.1", "::1");
    private static final Set<String> YAML_EXT = Set.of("", ".yml", ".yaml", ".json");
    private static final Set<String> IGNORED_EXT = Set.of(".orig", ".ini", ".cfg", ".retry", ".pyc", ".pyo", ".swp",
            ".bak", "~", ".rpm", ".md", ".txt", ".rst");
    private static final Set<String> IGNORED_NAMES = Set.of("host_vars", "group_vars", "vars_plugins");
    private static final Set<String> SECTIONS = Set.of("vars", "children", "hosts");
    private static final Pattern INI_HEADER = Pattern.compile("^\\s*\\[[^\\]]+]\\s*(#.*)?$");

    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    /** Directories whose group_vars/ and host_vars/ are read, one per source, in source order. */
    private final List<Path> varsDirs = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final VarsFiles varsFiles = new VarsFiles();
    private Host implicitLocalhost;

    private Inventory() {
        groups.put("all", new Group("all", SourceLocation.UNKNOWN));
        groups.put("ungrouped", new Group("ungrouped", SourceLocation.UNKNOWN));
        addChild(groups.get("all"), groups.get("ungrouped"), SourceLocation.UNKNOWN);
    }

    /**
     * Reads every source in order: a YAML inventory file, or a directory whose inventory files are read in name
     * order (recursively; {@code group_vars}, {@code host_vars}, hidden files and {@code .ini/.cfg/.retry/.md/...}
     * are skipped). No sources at all gives an inventory with only the implicit localhost.
     *
     * @throws EngineException with file:line:column when a source is missing, not YAML, or malformed
     */
    public static Inventory load(List<Path> sources) {
        Inventory inv = new Inventory();
        for (Path source : sources) {
            Path abs = source.toAbsolutePath().normalize();
            if (!Files.exists(abs)) {
                throw new EngineException(SourceLocation.of(source.toString()), "inventory source not found",
                        "pass an existing inventory file or directory with -i");
            }
            if (Files.isDirectory(abs)) {
                inv.varsDirs.add(abs);
                inv.parseDirectory(abs);
            } else {
                inv.varsDirs.add(abs.getParent());
                inv.parseFile(abs, source.toString(), true);
            }
        }
        inv.reconcile();
        return inv;
    }

    /**
     * An inventory built in memory rather than read from files (the deployments repository's engine view): hosts
     * with their variables, in order; each group's direct hosts; each group's child groups. Then as after loading:
     * top-level groups go under {@code all}, hosts in no group under {@code ungrouped}. {@code file} is what
     * {@code inventory_file} says for a host (may be null). No group_vars/host_vars directories are read.
     */
    public static Inventory of(Map<String, Map<String, Object>> hostVars, Map<String, List<String>> groupHosts,
                               Map<String, List<String>> groupChildren, Map<String, String> file) {
        Inventory inv = new Inventory();
        for (Map.Entry<String, Map<String, Object>> e : hostVars.entrySet()) {
            Host h = new Host(e.getKey(), SourceLocation.of(String.valueOf(file.get(e.getKey()))), false);
            h.inventoryFile = file.get(e.getKey());
            h.vars.putAll(e.getValue());
            inv.hosts.put(h.name, h);
        }
        for (Map.Entry<String, List<String>> e : groupHosts.entrySet()) {
            Group g = inv.groups.computeIfAbsent(e.getKey(), n -> new Group(n, SourceLocation.UNKNOWN));
            for (String name : e.getValue()) {
                Host h = inv.hosts.get(name);
                if (h == null) {
                    throw new IllegalArgumentException("group " + g.name + " names unknown host " + name);
                }
                inv.addHost(g, h);
            }
        }
        for (Map.Entry<String, List<String>> e : groupChildren.entrySet()) {
            Group parent = inv.groups.computeIfAbsent(e.getKey(), n -> new Group(n, SourceLocation.UNKNOWN));
            for (String c : e.getValue()) {
                inv.addChild(parent, inv.groups.computeIfAbsent(c, n -> new Group(n, SourceLocation.UNKNOWN)),
                        SourceLocation.UNKNOWN);
            }
        }
        inv.reconcile();
        return inv;
    }

    // ------------------------------------------------------------------------------------------------ queries

    /** Every inventory host, in the order each first appeared. The implicit localhost is not listed. */
    public List<String> hostNames() {
        return List.copyOf(hosts.keySet());
    }

    /** Warnings Ansible would print while loading (e.g. a name used for both a group and a host). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * The hosts a host pattern selects, as Ansible's {@code hosts:} / {@code --limit} do: {@code all}, {@code *},
     * group and host names, {@code a:b} or {@code a,b} (union), {@code a:&b} (intersection), {@code a:!b}
     * (exclusion), shell wildcards ({@code web*}), {@code ~regex}, and subscripts ({@code web[0]},
     * {@code web[1:2]}, {@code web[-1]}). Union parts keep their order, then duplicates go. A pattern that matches
     * nothing gives an empty list; {@link #unmatchedPatterns} says which parts matched nothing so the caller can warn.
     *
     * @throws EngineException for an invalid regular expression or subscript
     */
    public List<String> select(String pattern) {
        List<Host> out = new HostPatterns(this).evaluate(pattern, null);
        List<String> names = new ArrayList<>();
        for (Host h : out) {
            names.add(h.name);
        }
        return names;
    }

    /** The single patterns of {@code pattern} that matched no host or group (Ansible: "Could not match ..."). */
    public List<String> unmatchedPatterns(String pattern) {
        List<String> unmatched = new ArrayList<>();
        new HostPatterns(this).evaluate(pattern, unmatched);
        return unmatched;
    }

    /**
     * The variables of {@code host} from the inventory, merged in Ansible's order (later wins, top-level keys
     * replaced, not deep-merged): group {@code all} vars in the inventory file, other groups' vars in the inventory
     * file (by depth, then {@code ansible_group_priority}, then name), {@code group_vars/all}, {@code group_vars/<group>}
     * (same order, per source), the host's vars in the inventory file, {@code host_vars/<host>}. Also carries
     * {@code inventory_hostname}, {@code inventory_hostname_short}, {@code group_names}, {@code inventory_file} and
     * {@code inventory_dir}.
     *
     * @throws EngineException when the host is unknown (and not a localhost name) or a vars file is malformed
     */
    public Map<String, Object> hostVars(String host) {
        Host h = host(host).orElseThrow(() -> new EngineException(SourceLocation.UNKNOWN,
                "host '" + host + "' is not in the inventory", "check the name against 'budgetctl inventory --list'"));
        Group all = groups.get("all");
        List<Group> hostGroups = sortedGroups(h);
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.putAll(all.vars);
        for (Group g : hostGroups) {
            vars.putAll(g.vars);
        }
        for (Path dir : varsDirs) {
            vars.putAll(varsFiles.load(dir.resolve("group_vars"), "all"));
        }
        for (Path dir : varsDirs) {
            for (Group g : hostGroups) {
                vars.putAll(varsFiles.load(dir.resolve("group_vars"), g.name));
            }
        }
        vars.putAll(h.vars);
        vars.putAll(magicVars(h));
        for (Path dir : varsDirs) {
            vars.putAll(varsFiles.load(dir.resolve("host_vars"), h.name));
        }
        return vars;
    }

    /**
     * The {@code groups} magic variable: every group (including {@code all} and {@code ungrouped}) to its hosts
     * and the hosts of its descendants, in inventory order.
     */
    public Map<String, List<String>> groups() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Group g : groups.values()) {
            List<String> names = new ArrayList<>();
            for (Host h : hostsOf(g)) {
                names.add(h.name);
            }
            out.put(g.name, List.copyOf(names));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The {@code group_names} magic variable: the groups {@code host} belongs to, directly or through nesting,
     * sorted, without {@code all}. Like Ansible it includes {@code ungrouped} for a host in no other group.
     */
    public List<String> groupNamesOf(String host) {
        Optional<Host> h = host(host);
        if (h.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (Group g : h.get().groups) {
            if (!g.name.equals("all")) {
                names.add(g.name);
            }
        }
        Collections.sort(names);
        return names;
    }

    // ------------------------------------------------------------------------------------------------ model

    static final class Group {
        final String name;
        final SourceLocation location;
        final List<Host> hosts = new ArrayList<>();
        final List<Group> children = new ArrayList<>();
        final List<Group> parents = new ArrayList<>();
        final Map<String, Object> vars = new LinkedHashMap<>();
        int depth;
        int priority = 1;

        Group(String name, SourceLocation location) {
            this.name = name;
            this.location = location;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final class Host {
        final String name;
        final SourceLocation location;
        final Map<String, Object> vars = new LinkedHashMap<>();
        /** Direct groups and all their ancestors, in the order they were added. */
        final List<Group> groups = new ArrayList<>();
        final boolean implicit;
        String inventoryFile;

        Host(String name, SourceLocation location, boolean implicit) {
            this.name = name;
            this.location = location;
            this.implicit = implicit;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    Map<String, Group> groupMap() {
        return groups;
    }

    Map<String, Host> hostMap() {
        return hosts;
    }

    /** A host by name; a localhost name not in the inventory gives the implicit localhost. */
    Optional<Host> host(String name) {
        Host h = hosts.get(name);
        if (h != null) {
            return Optional.of(h);
        }
        if (LOCALHOST.contains(name)) {
            return Optional.of(implicitLocalhost(name));
        }
        return Optional.empty();
    }

    private synchronized Host implicitLocalhost(String name) {
        if (implicitLocalhost == null) {
            Host h = new Host(name, SourceLocation.UNKNOWN, true);
            h.vars.put("ansible_connection", "local");
            implicitLocalhost = h;
        }
        return implicitLocalhost;
    }

    /** The hosts of {@code g} and of its descendants (group itself, its children, then theirs, level by level). */
    List<Host> hostsOf(Group g) {
        List<Group> order = new ArrayList<>();
        Set<Group> seen = new HashSet<>();
        order.add(g);
        seen.add(g);
        for (int i = 0; i < order.size(); i++) {
            for (Group c : order.get(i).children) {
                if (seen.add(c)) {
                    order.add(c);
                }
            }
        }
        LinkedHashSet<Host> out = new LinkedHashSet<>();
        for (Group k : order) {
            for (Host h : k.hosts) {
                if (!(g.name.equals("all") && h.implicit)) {
                    out.add(h);
                }
            }
        }
        return new ArrayList<>(out);
    }

    private List<Group> sortedGroups(Host h) {
        List<Group> out = new ArrayList<>();
        for (Group g : h.groups) {
            if (!g.name.equals("all")) {
                out.add(g);
            }
        }
        out.sort(Comparator.<Group>comparingInt(g -> g.depth).thenComparingInt(g -> g.priority)
                .thenComparing(g -> g.name));
        return out;
    }

    private Map<String, Object> magicVars(Host h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inventory_file", h.inventoryFile);
        m.put("inventory_dir", h.inventoryFile == null ? null : Path.of(h.inventoryFile).getParent().toString());
        m.put("inventory_hostname", h.name);
        m.put("inventory_hostname_short", HostNames.shortName(h.name));
        m.put("group_names", groupNamesOf(h.name));
        return m;
    }

    // ------------------------------------------------------------------------------------------------ loading

    private void parseDirectory(Path dir) {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(dir.toString()), "cannot list inventory directory: "
                    + e.getMessage(), "check that the directory is readable", e);
        }
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (name.startsWith(".") || IGNORED_NAMES.contains(name) || ignoredExtension(name)) {
                continue;
            }
            if (Files.isDirectory(p)) {
                parseDirectory(p);
            } else {
                parseFile(p, p.toString(), false);
            }
        }
    }

    private static boolean ignoredExtension(String name) {
        for (String ext : IGNORED_EXT) {
            if (name.endsWith(ext)) {
                return true;
            }
        }
        return false;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
    }

    private void parseFile(Path file, String label, boolean explicit) {
        String ext = extension(file.getFileName().toString());
        if (!YAML_EXT.contains(ext)) {
            if (!explicit) {
                warnings.add("Skipping " + label + ": only YAML inventory files (.yml, .yaml, .json or no extension)"
                        + " are read");
                return;
            }
            throw notYaml(label);
        }
        if (looksLikeIni(file)) {
            throw notYaml(label);
        }
        Optional<Node> root = YamlLoader.composeString(readText(file, label), label);
        if (root.isEmpty() || isNull(root.get())) {
            throw new EngineException(SourceLocation.of(label), "inventory file is empty",
                    "an inventory needs at least 'all:' with 'hosts:' or 'children:'");
        }
        if (!(root.get() instanceof MappingNode top)) {
            throw new EngineException(YamlLoader.location(root.get()),
                    "YAML inventory must be a mapping of group names, found " + kind(root.get()),
                    "start the file with 'all:' and put 'hosts:', 'children:' and 'vars:' under it");
        }
        if (YamlLoader.get(top, "plugin").isPresent()) {
            throw new EngineException(YamlLoader.location(YamlLoader.get(top, "plugin").get()),
                    "inventory plugin configuration files are not supported",
                    "write a static YAML inventory (ansible-inventory -i " + label + " --list -y shows one)");
        }
        String fileName = file.toAbsolutePath().normalize().toString();
        for (NodeTuple t : YamlLoader.entries(top)) {
            parseGroup(groupName(t.getKeyNode()), t.getValueNode(), YamlLoader.location(t.getKeyNode()), fileName);
        }
    }

    private static EngineException notYaml(String label) {
        return new EngineException(SourceLocation.of(label),
                "not a YAML inventory (INI inventories are not supported)",
                "convert it once with: ansible-inventory -i " + label + " --list -y > inventory.yml");
    }

    private static boolean looksLikeIni(Path file) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith(";"))
                    .findFirst().map(l -> INI_HEADER.matcher(l).matches() && !l.contains(",")).orElse(false);
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // the YAML reader reports unreadable files
        }
    }

    private static String readText(Path file, String label) {
        return io.budgetctl.engine.yaml.Utf8Text.read(file, label);
    }

    private String groupName(Node key) {
        if (!(key instanceof ScalarNode s) || s.getValue().isBlank()) {
            throw new EngineException(YamlLoader.location(key), "group name must be a non-empty string",
                    "use a plain name such as 'web' or 'db_servers'");
        }
        return s.getValue();
    }

    /** {@code data} is null for a group named without content ({@code children: web}). */
    private Group parseGroup(String name, Node data, SourceLocation loc, String file) {
        Group g = groups.computeIfAbsent(name, n -> new Group(n, loc));
        if (isNull(data)) {
            return g;
        }
        if (!(data instanceof MappingNode m)) {
            throw new EngineException(YamlLoader.location(data), "group '" + name + "' must be a mapping with 'hosts', 'children' or"
                    + " 'vars', found " + kind(data), "indent the group's content under '" + name + ":'");
        }
        for (NodeTuple t : YamlLoader.entries(m)) {
            String key = YamlLoader.text(t.getKeyNode());
            Node value = t.getValueNode();
            if (key == null || !SECTIONS.contains(key)) {
                throw new EngineException(YamlLoader.location(t.getKeyNode()), "unexpected key '" + key
                        + "' in group '" + name + "'", hintFor(key));
            }
            if (isNull(value)) {
                continue;
            }
            if (value instanceof ScalarNode s) {
                // Ansible reads "hosts: web1" as "hosts: {web1: null}"
                if (key.equals("vars")) {
                    throw sectionNotMapping(key, name, value);
                }
                handleEntry(g, key, s, null, file);
                continue;
            }
            if (!(value instanceof MappingNode section)) {
                throw sectionNotMapping(key, name, value);
            }
            for (NodeTuple e : YamlLoader.entries(section)) {
                handleEntry(g, key, e.getKeyNode(), e.getValueNode(), file);
            }
        }
        return g;
    }

    private void handleEntry(Group g, String section, Node keyNode, Node value, String file) {
        switch (section) {
            case "vars" -> setGroupVar(g, YamlLoader.text(keyNode), value);
            case "children" -> {
                Group child = parseGroup(groupName(keyNode), value, YamlLoader.location(keyNode), file);
                addChild(g, child, YamlLoader.location(keyNode));
            }
            default -> addHosts(g, keyNode, value, file);
        }
    }

    private static EngineException sectionNotMapping(String key, String group, Node value) {
        String example = switch (key) {
            case "hosts" -> "hosts:\\n    web1:\\n    web2:";
            case "children" -> "children:\\n    web:\\n    db:";
            default -> "vars:\\n    http_port: 80";
        };
        return new EngineException(YamlLoader.location(value), "'" + key + "' of group '" + group
                + "' must be a mapping, found " + kind(value),
                "write names as mapping keys, not a list: " + example.replace("\\n", " "));
    }

    private static String hintFor(String key) {
        if (key == null) {
            return "a group may only contain 'hosts', 'children' and 'vars'";
        }
        String lower = key.toLowerCase(Locale.ROOT);
        for (String s : SECTIONS) {
            if (lower.startsWith(s.substring(0, 3)) || s.startsWith(lower)) {
                return "did you mean '" + s + "'? a group may only contain 'hosts', 'children' and 'vars'";
            }
        }
        return "a group may only contain 'hosts', 'children' and 'vars'; put variables under 'vars:'";
    }

    private void setGroupVar(Group g, String key, Node value) {
        Object v = value == null ? null : YamlLoader.toJava(value);
        if ("ansible_group_priority".equals(key)) {
            try {
                g.priority = Integer.parseInt(String.valueOf(v));
            } catch (NumberFormatException e) {
                throw new EngineException(YamlLoader.location(value), "ansible_group_priority must be an integer",
                        "use a number such as 10 (higher merges later)");
            }
            return;
        }
        g.vars.put(key, v);
    }

    private void addHosts(Group g, Node keyNode, Node value, String file) {
        SourceLocation loc = YamlLoader.location(keyNode);
        if (!(keyNode instanceof ScalarNode ks) || !Tag.STR.equals(ks.getTag())) {
            throw new EngineException(loc, "host name " + (keyNode instanceof ScalarNode s ? "'" + s.getValue()
                    + "' " : "") + "must be a string", "enclose numbers in quotes, e.g. \"10\":");
        }
        if (value != null && !isNull(value) && !(value instanceof MappingNode)) {
            throw new EngineException(YamlLoader.location(value), "variables of host '" + ks.getValue()
                    + "' must be a mapping, found " + kind(value), "write 'host:' alone or with 'key: value' lines"
                    + " indented under it");
        }
        HostRange.HostKey hk = HostRange.splitPort(ks.getValue());
        List<String> names;
        try {
            names = HostRange.expand(hk.name());
        } catch (IllegalArgumentException e) {
            throw new EngineException(loc, e.getMessage(), "write ranges like web[01:10] or db-[a:c]");
        }
        Map<String, Object> vars = value instanceof MappingNode m ? asMap(m) : Map.of();
        for (String name : names) {
            Host h = hosts.get(name);
            if (h == null) {
                h = new Host(name, loc, false);
                h.inventoryFile = file;
                hosts.put(name, h);
                if (hk.port() != null) {
                    h.vars.put("ansible_port", hk.port());
                }
            }
            addHost(g, h);
            h.vars.putAll(vars);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(MappingNode m) {
        return (Map<String, Object>) YamlLoader.toJava(m);
    }

    private void addHost(Group g, Host h) {
        if (!g.hosts.contains(h)) {
            g.hosts.add(h);
            addGroupAndAncestors(h, g);
        }
    }

    private static void addGroupAndAncestors(Host h, Group g) {
        if (!h.groups.contains(g)) {
            h.groups.add(g);
        }
        for (Group p : ancestors(g)) {
            if (!h.groups.contains(p)) {
                h.groups.add(p);
            }
        }
    }

    private static Set<Group> ancestors(Group g) {
        LinkedHashSet<Group> out = new LinkedHashSet<>();
        List<Group> todo = new ArrayList<>(g.parents);
        while (!todo.isEmpty()) {
            Group p = todo.remove(0);
            if (out.add(p)) {
                todo.addAll(p.parents);
            }
        }
        return out;
    }

    private void addChild(Group parent, Group child, SourceLocation where) {
        if (parent == child || ancestors(parent).contains(child)) {
            throw new EngineException(where, "adding group '" + child.name + "' as a child of '" + parent.name
                    + "' creates a loop", "a group cannot contain itself, directly or through its children");
        }
        if (parent.children.contains(child)) {
            return;
        }
        parent.children.add(child);
        if (!child.parents.contains(parent)) {
            child.parents.add(parent);
        }
        deepen(child, parent.depth + 1);
        for (Host h : hostsOf(child)) {
            addGroupAndAncestors(h, child);
        }
    }

    private static void deepen(Group g, int depth) {
        if (g.depth < depth) {
            g.depth = depth;
        }
        for (Group c : g.children) {
            deepen(c, g.depth + 1);
        }
    }

    /** Ansible's reconcile_inventory: top-level groups under all, hosts in no group under ungrouped. */
    private void reconcile() {
        Group all = groups.get("all");
        Group ungrouped = groups.get("ungrouped");
        for (Group g : List.copyOf(groups.values())) {
            if (g != all && g.parents.isEmpty()) {
                addChild(all, g, g.location);
            }
        }
        for (Host h : hosts.values()) {
            boolean other = h.groups.stream().anyMatch(g -> g != all && g != ungrouped);
            if (h.groups.contains(ungrouped)) {
                if (other) {
                    ungrouped.hosts.remove(h);
                    h.groups.remove(ungrouped);
                }
            } else if (!other) {
                addHost(ungrouped, h);
            }
        }
        for (String name : hosts.keySet()) {
            if (groups.containsKey(name)) {
                warnings.add("Found both group and host with same name: " + name);
            }
        }
    }

    static boolean isNull(Node n) {
        return n == null || n instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    static String kind(Node n) {
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof ScalarNode s) {
            return "the value '" + s.getValue() + "'";
        }
        return "a list";
    }
}
