package io.budgetctl.engine.template;

import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code basename} and {@code dirname}, as Python's posixpath: only {@code /} separates, and a {@code dirname} that
 * is all slashes (the root) keeps them; {@code expanduser}, {@code realpath} and {@code relpath(start)} on the controller. {@code path_join} and {@code splitext} are with AnsibleDataFilters.
 */
final class PathFilters {
    private PathFilters() {
    }

    static List<Filter> all() {
        List<Filter> f = new ArrayList<>();
        f.add(Fn.filter("basename", "", false, (v, a) -> {
            String s = Py.str(v);
            return s.substring(s.lastIndexOf('/') + 1);
        }));
        f.add(Fn.filter("dirname", "", false, (v, a) -> {
            String s = Py.str(v);
            int i = s.lastIndexOf('/') + 1;
            String head = s.substring(0, i);
            if (!head.isEmpty() && !head.chars().allMatch(c -> c == '/')) {
                head = head.replaceAll("/+$", "");
            }
            return head;
        }));
        // on the controller, as Ansible's filters run there (os.path's, with Python's results for the edge cases)
        f.add(Fn.filter("expanduser", "", false, (v, a) -> expandUser(Py.str(v))));
        f.add(Fn.filter("realpath", "", false, (v, a) -> {
            try {
                return realPath(Py.str(v));
            } catch (java.io.IOException e) {
                throw new TemplateFailure("realpath: " + e.getMessage(), null);
            }
        }));
        f.add(Fn.filter("relpath", "start=None", false, (v, a) -> {
            String start = a.str("start");
            java.nio.file.Path from = absolute(start == null ? "." : start);
            return pathText(from.relativize(absolute(Py.str(v))));
        }));
        return f;
    }

    /** os.path.expanduser: a leading {@code ~} is $HOME (else the user's home), {@code ~name} that user's home. */
    static String expandUser(String s) {
        if (!s.startsWith("~")) {
            return s;
        }
        int slash = s.indexOf('/');
        String user = s.substring(1, slash < 0 ? s.length() : slash);
        String rest = slash < 0 ? "" : s.substring(slash);
        String home;
        if (user.isEmpty()) {
            home = System.getenv("HOME") != null ? System.getenv("HOME") : System.getProperty("user.home");
        } else {
            home = passwdHome(user);
            if (home == null) {
                return s; // an unknown user: unchanged, as Python
            }
        }
        home = home.equals("/") ? "" : home.replaceAll("/+$", "");
        return (home + rest).isEmpty() ? "/" : home + rest;
    }

    private static String passwdHome(String user) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/etc/passwd"))) {
                String[] f = line.split(":", -1);
                if (f.length >= 6 && f[0].equals(user)) {
                    return f[5];
                }
            }
        } catch (java.io.IOException e) {
            return null;
        }
        return null;
    }

    /** os.path.realpath: absolute, symlinks resolved as far as the path exists, the rest normalised. */
    static String realPath(String s) throws java.io.IOException {
        java.nio.file.Path p = absolute(s);
        java.nio.file.Path existing = p;
        java.nio.file.Path tail = java.nio.file.Path.of("");
        while (existing != null && !java.nio.file.Files.exists(existing)) {
            tail = existing.getFileName().resolve(tail);
            existing = existing.getParent();
        }
        java.nio.file.Path resolved = existing == null ? p : existing.toRealPath().resolve(tail).normalize();
        return pathText(resolved);
    }

    private static java.nio.file.Path absolute(String s) {
        return java.nio.file.Path.of(s.isEmpty() ? "." : s).toAbsolutePath().normalize();
    }

    private static String pathText(java.nio.file.Path p) {
        String t = p.toString();
        return t.isEmpty() ? "." : t;
    }
}
