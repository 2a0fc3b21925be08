package io.budgetctl.engine.module;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one module run did. {@code data} becomes the registered variable (Ansible's result dict: rc, stdout,
 * stat, ...) — the executor adds {@code changed}, {@code failed}, {@code msg} and {@code skipped} itself, so modules
 * need not. {@code diffs} are shown with --diff. Unreachable hosts are signalled by
 * {@link io.budgetctl.engine.connection.UnreachableException}, not by a Result.
 */
public sealed interface Result {
    /**
     * Ansible's internal result key that makes the console show the result at any verbosity (debug, assert unless
     * quiet). Keys starting with {@code _ansible_} are for the console only: the executor leaves them out of the
     * registered variable, as Ansible's strip_internal_keys does.
     */
    String VERBOSE_ALWAYS = "_ansible_verbose_always";

    Map<String, Object> data();

    List<Diff> diffs();

    String msg();

    record Ok(String msg, Map<String, Object> data) implements Result {
        public List<Diff> diffs() {
            return List.of();
        }
    }

    record Changed(String msg, Map<String, Object> data, List<Diff> diffs) implements Result {
    }

    record Skipped(String msg, Map<String, Object> data) implements Result {
        public List<Diff> diffs() {
            return List.of();
        }
    }

    record Failed(String msg, Map<String, Object> data) implements Result {
        public List<Diff> diffs() {
            return List.of();
        }
    }

    static Ok ok() {
        return new Ok(null, Map.of());
    }

    static Ok ok(Map<String, Object> data) {
        return new Ok(null, data);
    }

    static Changed changed(Map<String, Object> data, Diff... diffs) {
        return new Changed(null, data, List.of(diffs));
    }

    static Failed failed(String msg) {
        return new Failed(msg, Map.of());
    }

    static Failed failed(String msg, Map<String, Object> data) {
        return new Failed(msg, data);
    }

    /** OK or Changed depending on {@code changed}. */
    static Result of(boolean changed, Map<String, Object> data, Diff... diffs) {
        return changed ? changed(data, diffs) : ok(data);
    }

    static Map<String, Object> data(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A before/after pair for --diff; content may be null for "absent". */
    record Diff(String path, String before, String after) {
    }
}
