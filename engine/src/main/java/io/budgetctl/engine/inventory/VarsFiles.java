package io.budgetctl.engine.inventory;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code group_vars/<name>} and {@code host_vars/<name>} like Ansible's host_group_vars plugin: the first of
 * {@code <name>}, {@code <name>.yml}, {@code <name>.yaml}, {@code <name>.json} that exists wins; when it is a
 * directory, every file in it (recursively, by name, no hidden or {@code ~} files, extension none/.yml/.yaml/.json)
 * is merged in order. Results are cached per path.
 */
final class VarsFiles {
    private static final List<String> EXTENSIONS = List.of("", ".yml", ".yaml", ".json");
    private final Map<Path, Map<String, Object>> cache = new ConcurrentHashMap<>();

    /** Merged variables of {@code dir/name}; empty when nothing is there. */
    Map<String, Object> load(Path dir, String name) {
        if (name.startsWith("/") || !Files.isDirectory(dir)) {
            return Map.of();
        }
        return cache.computeIfAbsent(dir.resolve(name), p -> read(dir, name));
    }

    private static Map<String, Object> read(Path dir, String name) {
        Map<String, Object> vars = new LinkedHashMap<>();
        for (String ext : EXTENSIONS) {
            Path p = dir.resolve(name + ext);
            if (Files.exists(p)) {
                List<Path> files = Files.isDirectory(p) ? listDir(p) : List.of(p);
                for (Path f : files) {
                    vars.putAll(readFile(f));
                }
                break;
            }
        }
        return vars;
    }

    private static List<Path> listDir(Path dir) {
        List<Path> out = new ArrayList<>();
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(dir.toString()), "cannot list vars directory: "
                    + e.getMessage(), "check that the directory is readable", e);
        }
        for (Path p : entries) {
            String n = p.getFileName().toString();
            if (n.startsWith(".") || n.endsWith("~")) {
                continue;
            }
            int dot = n.lastIndexOf('.');
            String ext = dot <= 0 ? "" : n.substring(dot);
            if (Files.isDirectory(p) && ext.isEmpty()) {
                out.addAll(listDir(p));
            } else if (Files.isRegularFile(p) && EXTENSIONS.contains(ext)) {
                out.add(p);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readFile(Path f) {
        Node root = YamlLoader.compose(f).orElse(null);
        if (Inventory.isNull(root)) {
            return Map.of();
        }
        if (!(root instanceof MappingNode)) {
            throw new EngineException(YamlLoader.location(root), "variables file must be a mapping of names to"
                    + " values, found " + Inventory.kind(root), "write 'name: value' lines at the top level");
        }
        return (Map<String, Object>) YamlLoader.toJava(root);
    }
}
