package io.budgetctl.cli.differential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * One differential case: a directory {@code NN-name/} with {@code playbook.yml}, {@code inventory.yml} and a
 * {@code case.yaml} that says how to run it. Both tools get exactly the same command-line options.
 *
 * <p>{@code case.yaml} keys (all optional): {@code description}, {@code playbook} (default playbook.yml),
 * {@code args} (raw extra options), {@code tags}, {@code skip_tags}, {@code limit}, {@code extra_vars} (each one
 * {@code -e}; {@code @file} is relative to the case directory), {@code runs} (1 or 2, default 2),
 * {@code expect_rc} (ansible-playbook's exit code on every run, default 0), {@code idempotent} (run 2 must report
 * changed=0 for every host, default true), {@code http} (serve {@code www/} on 127.0.0.1 and pass
 * {@code -e http_port=N}), {@code closed_port} (pass {@code -e closed_port=N}, a port nothing listens on),
 * {@code secret} (a string that must appear in neither tool's output), {@code known_difference} (why budgetctl
 * differs today: the case must then still differ, so the note is removed as soon as it is fixed).
 */
record DiffCase(String name, Path dir, String description, String playbook, List<String> args, List<String> tags,
                List<String> skipTags, String limit, List<String> extraVars, int runs, int expectRc,
                boolean idempotent, boolean http, boolean closedPort, String secret, String knownDifference) {

    private static final Set<String> KEYS = Set.of("description", "playbook", "args", "tags", "skip_tags", "limit",
            "extra_vars", "runs", "expect_rc", "idempotent", "http", "closed_port", "secret", "known_difference");

    DiffCase {
        args = List.copyOf(args);
        tags = List.copyOf(tags);
        skipTags = List.copyOf(skipTags);
        extraVars = List.copyOf(extraVars);
        if (runs < 1 || runs > 2) {
            throw new IllegalArgumentException(name + "/case.yaml: runs must be 1 or 2, got " + runs);
        }
    }

    /** Every {@code NN-name} directory under {@code root}, sorted; {@code only} (comma-separated prefixes) filters. */
    static List<DiffCase> all(Path root, String only) {
        List<String> wanted = only == null || only.isBlank() ? List.of() : List.of(only.trim().split("\\s*,\\s*"));
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory)
                    .filter(d -> d.getFileName().toString().matches("\\d\\d-.+"))
                    .filter(d -> wanted.isEmpty() || wanted.stream().anyMatch(w -> d.getFileName().toString().startsWith(w)))
                    .sorted()
                    .map(DiffCase::load)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DiffCase load(Path dir) {
        String name = dir.getFileName().toString();
        Path file = dir.resolve("case.yaml");
        Map<String, Object> m;
        try {
            Object doc = new Load(LoadSettings.builder().setLabel(file.toString()).build())
                    .loadFromString(Files.readString(file));
            m = doc == null ? Map.of() : asMap(doc, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        for (String key : m.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(file + ": unknown key '" + key + "' (known: " + KEYS + ")");
            }
        }
        return new DiffCase(name, dir, str(m, "description", ""), str(m, "playbook", "playbook.yml"),
                list(m, "args"), list(m, "tags"), list(m, "skip_tags"), str(m, "limit", null), list(m, "extra_vars"),
                num(m, "runs", 2), num(m, "expect_rc", 0), bool(m, "idempotent", true), bool(m, "http", false),
                bool(m, "closed_port", false), str(m, "secret", null), str(m, "known_difference", null));
    }

    /**
     * The options after the tool name, identical for both tools except {@code base_dir}: inventory, extra vars
     * (base_dir first, then ports, then the case's), tags, limit, raw args, and the playbook last.
     */
    List<String> commandLine(Path caseCopy, Path baseDir, Integer httpPort, Integer closedPortNumber) {
        List<String> a = new ArrayList<>();
        a.add("-i");
        a.add(caseCopy.resolve("inventory.yml").toString());
        a.add("-e");
        a.add("base_dir=" + baseDir);
        if (httpPort != null) {
            a.add("-e");
            a.add("http_port=" + httpPort);
        }
        if (closedPortNumber != null) {
            a.add("-e");
            a.add("closed_port=" + closedPortNumber);
        }
        for (String ev : extraVars) {
            a.add("-e");
            a.add(ev.startsWith("@") ? "@" + caseCopy.resolve(ev.substring(1)) : ev);
        }
        for (String t : tags) {
            a.add("-t");
            a.add(t);
        }
        for (String t : skipTags) {
            a.add("--skip-tags");
            a.add(t);
        }
        if (limit != null) {
            a.add("-l");
            a.add(limit);
        }
        a.addAll(args);
        a.add(caseCopy.resolve(playbook).toString());
        return a;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object doc, Path file) {
        if (!(doc instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(file + ": expected a mapping");
        }
        return (Map<String, Object>) doc;
    }

    private static String str(Map<String, Object> m, String key, String dflt) {
        Object v = m.get(key);
        return v == null ? dflt : v.toString();
    }

    private static int num(Map<String, Object> m, String key, int dflt) {
        Object v = m.get(key);
        return v == null ? dflt : Integer.parseInt(v.toString());
    }

    private static boolean bool(Map<String, Object> m, String key, boolean dflt) {
        Object v = m.get(key);
        return v == null ? dflt : Boolean.parseBoolean(v.toString());
    }

    private static List<String> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of(v.toString());
    }
}
