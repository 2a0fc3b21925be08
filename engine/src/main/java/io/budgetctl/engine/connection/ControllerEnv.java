package io.budgetctl.engine.connection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment of a command run on the controller for a task or a template: {@code lookup('pipe')} and the local
 * connection ({@code connection: local}, {@code delegate_to: localhost}). The controller holds every customer's
 * secrets, and its environment often carries some of them (SOPS_AGE_KEY, VAULT_TOKEN, key passphrases, cloud
 * credentials); a command a playbook starts gets none of it, only an allowlist of variables that make a shell work
 * ({@link #ALLOWED}, plus {@code LC_*}). A task passes anything else explicitly with {@code environment:}, which
 * {@link CommandBuilder} adds on top.
 */
public final class ControllerEnv {
    /** Names passed through from the controller's environment, besides every {@code LC_*}. */
    public static final List<String> ALLOWED = List.of("PATH", "HOME", "LANG", "LANGUAGE", "TERM", "USER", "LOGNAME",
            "TZ", "TMPDIR", "SHELL");

    private ControllerEnv() {
    }

    /** The allowlisted part of this JVM's environment. */
    public static Map<String, String> clean() {
        return clean(System.getenv());
    }

    /** The allowlisted part of {@code env}, in name order; PATH gets a sane default when the controller has none. */
    public static Map<String, String> clean(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        env.forEach((k, v) -> {
            if (ALLOWED.contains(k) || k.startsWith("LC_")) {
                out.put(k, v);
            }
        });
        out.putIfAbsent("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        return new LinkedHashMap<>(out);
    }

    /** Replaces {@code env} (a ProcessBuilder's environment) with the clean one. */
    public static void applyTo(Map<String, String> env) {
        Map<String, String> clean = clean(env);
        env.clear();
        env.putAll(clean);
    }
}
