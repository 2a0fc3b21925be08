package io.budgetctl.engine.module;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** All modules found through {@link ServiceLoader}, by name and alias. */
public final class ModuleRegistry {
    private final Map<String, Module> byName = new LinkedHashMap<>();

    public ModuleRegistry(Iterable<Module> modules) {
        for (Module m : modules) {
            byName.put(m.name(), m);
            for (String a : m.aliases()) {
                byName.putIfAbsent(a, m);
            }
        }
    }

    public static ModuleRegistry load() {
        return new ModuleRegistry(ServiceLoader.load(Module.class));
    }

    public Optional<Module> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** Canonical names, sorted. */
    public List<String> names() {
        return byName.values().stream().map(Module::name).distinct().sorted().toList();
    }

    /** Known names closest to {@code name} (edit distance), for "did you mean" hints. */
    public List<String> nearest(String name, int max) {
        List<String> all = new ArrayList<>(names());
        all.sort(Comparator.comparingInt(n -> Levenshtein.distance(name, n)));
        return all.subList(0, Math.min(max, all.size()));
    }
}
