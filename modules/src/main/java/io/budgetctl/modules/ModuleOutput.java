package io.budgetctl.modules;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How modules of every kind put host output and times into a result the way Ansible's Python does: a result map that
 * allows nulls, output split into lines or stripped of its trailing newlines, and {@code str(datetime)}. Pure
 * functions, unit-tested directly. Public because modules of every kind use it.
 */
public final class ModuleOutput {
    /** Python's {@code str(datetime.now())}: {@code 2026-11-27 10:03:09.663944}. */
    private static final DateTimeFormatter PY_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private ModuleOutput() {
    }

    /** Python's {@code str(datetime)} of a local time. */
    public static String pyDateTime(LocalDateTime t) {
        return PY_DATETIME.format(t);
    }

    /** Python's {@code str.splitlines()} for the line separators that occur in command output. */
    public static List<String> lines(String s) {
        if (s == null || s.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(List.of(s.split("\r\n|\r|\n", -1)));
        if (out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** Ansible's strip_empty_ends: drops trailing CR/LF characters. */
    public static String stripEnds(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    /** A mutable result map that allows nulls (Ansible reports {@code start: null} and friends). */
    public static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
