package io.budgetctl.lifecycle.repo;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The deployments repository on disk: {@code clients/<id>.yaml}, {@code environments/<name>.yaml},
 * {@code access.yaml}, {@code releases.yaml}, {@code secrets/} and {@code .sops.yaml} (see docs/configuration.md).
 * Which directory that is (--repo, BUDGETCTL_REPO or the current directory) is the caller's choice.
 *
 * <p>Opening only checks the layout; files are read when asked for, so a broken file is reported by the
 * {@link Validator} with its position instead of failing the open.
 */
public final class DeploymentsRepository {
    private final Path root;

    private DeploymentsRepository(Path root) {
        this.root = root;
    }

    /**
     * @throws EngineException when {@code dir} does not exist or has no {@code clients/} directory
     */
    public static DeploymentsRepository open(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new EngineException(SourceLocation.of(dir.toString()), "deployments repository not found",
                    "pass the repository directory with --repo DIR or set BUDGETCTL_REPO");
        }
        if (!Files.isDirectory(abs.resolve("clients"))) {
            throw new EngineException(SourceLocation.of(dir.toString()),
                    "not a deployments repository: it has no clients/ directory",
                    "run from the repository root, pass --repo DIR or set BUDGETCTL_REPO");
        }
        return new DeploymentsRepository(abs);
    }

    public Path root() {
        return root;
    }

    /** Customer ids from the file names in clients/ (*.yaml and *.yml), sorted. */
    public List<String> clientIds() {
        List<String> ids = new ArrayList<>();
        for (String f : clientFiles()) {
            ids.add(f.substring("clients/".length(), f.lastIndexOf('.')));
        }
        return ids;
    }

    /** Client files relative to the root, sorted by name. */
    List<String> clientFiles() {
        return list("clients");
    }

    /** Environment files relative to the root, sorted by name. */
    List<String> environmentFiles() {
        return list("environments");
    }

    /** The relative path of a customer's file, or null when there is none. */
    String clientFile(String id) {
        for (String f : clientFiles()) {
            if (f.equals("clients/" + id + ".yaml") || f.equals("clients/" + id + ".yml")) {
                return f;
            }
        }
        return null;
    }

    String environmentFile(String name) {
        for (String f : environmentFiles()) {
            if (f.equals("environments/" + name + ".yaml") || f.equals("environments/" + name + ".yml")) {
                return f;
            }
        }
        return null;
    }

    boolean exists(String relative) {
        return Files.isRegularFile(root.resolve(relative));
    }

    YamlDoc read(String relative) {
        return YamlDoc.load(root, relative);
    }

    /**
     * The top-level mapping of {@code environments/<name>.yaml} (name, description, defaults, fleet ...), or an empty
     * map when there is no such file. Reads without validating; use the {@link Validator} first.
     */
    public Map<String, Object> environment(String name) {
        String file = environmentFile(name);
        if (file != null && read(file).value() instanceof Map<?, ?> env) {
            return cast(env);
        }
        return Map.of();
    }

    /**
     * A customer's merged configuration: the environment's {@code defaults}, then the client file deep-merged over
     * them (maps merge key by key; lists and scalars from the client file replace). Reads without validating; use
     * the {@link Validator} first.
     *
     * @throws EngineException when the customer is unknown or a file does not load
     */
    public Map<String, Object> mergedClient(String id) {
        String file = clientFile(id);
        if (file == null) {
            throw new EngineException(SourceLocation.of(root.resolve("clients").toString()), "no customer '" + id
                    + "' in the repository", "known customers: " + String.join(", ", clientIds()));
        }
        Object client = read(file).value();
        if (!(client instanceof Map<?, ?> cm)) {
            throw new EngineException(SourceLocation.of(file), "a client file must be a mapping",
                    "run 'budgetctl validate --client " + id + "'");
        }
        Map<String, Object> defaults = Map.of();
        String envFile = cm.get("environment") == null ? null : environmentFile(String.valueOf(cm.get("environment")));
        if (envFile != null && read(envFile).value() instanceof Map<?, ?> env
                && env.get("defaults") instanceof Map<?, ?> d) {
            defaults = cast(d);
        }
        return deepMerge(defaults, cast(cm));
    }

    /** {@code over} merged onto a copy of {@code base}: nested maps merge, everything else replaces. */
    static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : base.entrySet()) {
            out.put(e.getKey(), copy(e.getValue()));
        }
        for (Map.Entry<String, Object> e : over.entrySet()) {
            Object old = out.get(e.getKey());
            if (old instanceof Map<?, ?> om && e.getValue() instanceof Map<?, ?> nm) {
                out.put(e.getKey(), deepMerge(cast(om), cast(nm)));
            } else {
                out.put(e.getKey(), copy(e.getValue()));
            }
        }
        return out;
    }

    private static Object copy(Object v) {
        if (v instanceof Map<?, ?> m) {
            return deepMerge(Map.of(), cast(m));
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(copy(o));
            }
            return out;
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private List<String> list(String sub) {
        Path dir = root.resolve(sub);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml")))
                    .sorted().map(n -> sub + "/" + n).toList();
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(dir.toString()), "cannot list: " + e.getMessage(),
                    "check that the directory is readable", e);
        }
    }
}
