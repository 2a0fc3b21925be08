package io.budgetctl.engine.template;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The lookups that search for files on the controller: {@code first_found} and {@code fileglob}. Ansible's search
 * path: in a role, the role's {@code files/}, the role, its {@code tasks/files/} and {@code tasks/}; then the
 * playbook directory's {@code files/} and the directory itself. Absolute names are taken as they are.
 *
 * <p>Two deliberate differences: {@code first_found} does not render the file names again (they were rendered once
 * with the task; text that came from a host stays data), and {@code fileglob} returns its matches sorted (Python's
 * {@code glob} returns them in directory order).
 */
final class FirstFound {
    private FirstFound() {
    }

    /** {@code lookup('first_found', terms, files=, paths=, skip=)}: a one-element list, or empty with skip. */
    static List<Object> find(List<Object> terms, Map<String, Object> kw, RenderState state) {
        boolean[] skip = {Py.truth(kw.getOrDefault("skip", false))};
        List<String> candidates = candidates(terms, kw, skip);
        for (String name : candidates) {
            Path found = search(name, state, true);
            if (found != null) {
                return List.of(found.toString());
            }
        }
        if (skip[0]) {
            return List.of();
        }
        throw new TemplateFailure("No file was found when using first_found.",
                "looked for " + candidates + " in " + bases(state) + " (each with files/); give skip=True to"
                        + " allow none");
    }

    /** The names to try, in order, from strings, lists and {files:, paths:, skip:} mappings, as Ansible does. */
    private static List<String> candidates(List<Object> terms, Map<String, Object> kw, boolean[] skip) {
        List<String> total = new ArrayList<>();
        for (Object term : terms) {
            Map<?, ?> options;
            if (term instanceof Map<?, ?> m) {
                options = m;
            } else if (term instanceof Collection<?> c) {
                total.addAll(candidates(new ArrayList<>(c), kw, skip));
                continue;
            } else if (term instanceof CharSequence) {
                options = kw;
            } else {
                throw new TemplateFailure("Invalid term supplied, can handle string, mapping or list of strings but "
                        + "got: " + Py.str(term), "give file names, or {files: [...], paths: [...]}");
            }
            if (options.containsKey("skip")) {
                skip[0] = Py.truth(options.get("skip"));
            }
            List<String> files = split(options.get("files"), ",;");
            List<String> paths = split(options.get("paths"), ",:;");
            if (!paths.isEmpty()) {
                for (String p : paths) {
                    for (String f : files) {
                        total.add(Path.of(p).resolve(f).toString());
                    }
                }
            } else if (!files.isEmpty()) {
                total.addAll(files);
            } else if (!(term instanceof Map<?, ?>)) {
                total.add(Py.str(term));
            }
        }
        return total;
    }

    /** Ansible's _split_on: a string split on any of the separators, a list's strings each split too. */
    private static List<String> split(Object value, String separators) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        Collection<?> items = value instanceof Collection<?> c ? c : List.of(value);
        Pattern sep = Pattern.compile("[" + Pattern.quote(separators) + "]");
        for (Object item : items) {
            for (String part : sep.split(Py.str(item))) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
        }
        return out;
    }

    /** {@code lookup('fileglob', pattern)}: the regular files the pattern matches, in the first directory with any. */
    static List<String> glob(String term, RenderState state) {
        Path termPath = Path.of(term);
        String pattern = termPath.getFileName() == null ? "" : termPath.getFileName().toString();
        List<Path> dirs = new ArrayList<>();
        if (termPath.getParent() != null) {
            Path dir = search(termPath.getParent().toString(), state, false);
            if (dir != null) {
                dirs.add(dir);
            }
        } else {
            for (Path base : bases(state)) {
                dirs.add(base.resolve("files"));
                dirs.add(base);
            }
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        for (Path dir : dirs) {
            List<String> found = new ArrayList<>();
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path e : entries) {
                    String name = e.getFileName().toString();
                    // like Python's glob, * and ? do not match a leading dot
                    if (name.startsWith(".") && !pattern.startsWith(".")) {
                        continue;
                    }
                    if (matcher.matches(e.getFileName()) && Files.isRegularFile(e)) {
                        found.add(e.toAbsolutePath().normalize().toString());
                    }
                }
            } catch (IOException ex) {
                continue;
            }
            if (!found.isEmpty()) {
                found.sort(null);
                return found;
            }
        }
        return List.of();
    }

    /** The first existing file (or directory, when {@code file} is false) for {@code name} on the search path. */
    private static Path search(String name, RenderState state, boolean file) {
        Path p = Path.of(name);
        if (p.isAbsolute()) {
            return exists(p, file) ? p : null;
        }
        for (Path base : bases(state)) {
            List<Path> tries = new ArrayList<>(List.of(base.resolve("files").resolve(name), base.resolve(name)));
            if (base.resolve("tasks").toFile().isDirectory()) {
                tries.add(base.resolve("tasks/files").resolve(name));
                tries.add(base.resolve("tasks").resolve(name));
            }
            for (Path t : tries) {
                if (exists(t, file)) {
                    return t.toAbsolutePath().normalize();
                }
            }
        }
        return null;
    }

    private static boolean exists(Path p, boolean file) {
        return file ? Files.exists(p) : Files.isDirectory(p);
    }

    /** The role's directory (when rendering for a role's task), then the playbook directory. */
    private static List<Path> bases(RenderState state) {
        Set<Path> bases = new LinkedHashSet<>();
        Object role = state.vars().get("role_path");
        if (role instanceof CharSequence) {
            bases.add(Path.of(Py.str(role)));
        }
        bases.add(state.baseDir());
        return new ArrayList<>(bases);
    }
}
