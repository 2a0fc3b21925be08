package io.budgetctl.engine.ssh;

import io.budgetctl.engine.template.PyShlex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenSSH command-line options people put into {@code ansible_ssh_common_args} / {@code ansible_ssh_extra_args}:
 * {@code -o Key=Value}, {@code -o Key Value}, {@code -oKey=Value}, {@code -J hops}, {@code -i file}, {@code -p port},
 * {@code -l user}. Keys are case-insensitive (stored lower case); as in OpenSSH, the first value given wins.
 * Flags without a value ({@code -q}, {@code -C}, {@code -v}...) are accepted and ignored.
 */
record OpenSshArgs(Map<String, String> options, List<String> ignored) {
    /** Options budgetctl acts on; any other {@code -o} key is kept in {@link #ignored()} so callers can warn. */
    static final List<String> UNDERSTOOD = List.of("userknownhostsfile", "globalknownhostsfile",
            "stricthostkeychecking", "proxyjump", "connecttimeout", "serveraliveinterval", "serveralivecountmax",
            "port", "user", "identityfile", "connectionattempts", "proxycommand", "hostname", "identitiesonly",
            "identityagent");

    OpenSshArgs {
        options = Map.copyOf(options);
        ignored = List.copyOf(ignored);
    }

    static final OpenSshArgs EMPTY = new OpenSshArgs(Map.of(), List.of());

    String get(String key) {
        return options.get(key.toLowerCase(Locale.ROOT));
    }

    /** Parses one or more argument strings (shell-like words); earlier strings take precedence. */
    static OpenSshArgs parse(String... argStrings) {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        for (String s : argStrings) {
            if (s == null || s.isBlank()) {
                continue;
            }
            List<String> words = words(s);
            for (int i = 0; i < words.size(); i++) {
                String w = words.get(i);
                if (w.length() < 2 || w.charAt(0) != '-') {
                    throw new IllegalArgumentException("unexpected argument '" + w + "' (only ssh options such as"
                            + " -o Key=Value, -J, -i, -p, -l are understood)");
                }
                char flag = w.charAt(1);
                if ("oJipl".indexOf(flag) < 0) {
                    if ("FEcmbDLRWwQeOS".indexOf(flag) >= 0 && w.length() == 2) {
                        i++; // an ssh option that takes a value we do not use
                    }
                    continue;
                }
                String value;
                if (w.length() > 2) {
                    value = w.substring(2);
                } else if (i + 1 < words.size()) {
                    value = words.get(++i);
                } else {
                    throw new IllegalArgumentException("ssh option " + w + " needs a value");
                }
                switch (flag) {
                    case 'o' -> option(value, opts, ignored);
                    case 'J' -> opts.putIfAbsent("proxyjump", value);
                    case 'i' -> opts.putIfAbsent("identityfile", value);
                    case 'p' -> opts.putIfAbsent("port", value);
                    case 'l' -> opts.putIfAbsent("user", value);
                    default -> throw new IllegalStateException();
                }
            }
        }
        return new OpenSshArgs(opts, ignored);
    }

    private static void option(String kv, Map<String, String> opts, List<String> ignored) {
        String s = kv.strip();
        int eq = s.indexOf('=');
        int sp = indexOfSpace(s);
        int cut = eq < 0 ? sp : (sp < 0 ? eq : Math.min(eq, sp));
        if (cut <= 0) {
            throw new IllegalArgumentException("ssh option -o '" + kv + "' has no value (use -o Key=Value)");
        }
        String key = s.substring(0, cut).strip().toLowerCase(Locale.ROOT);
        String value = s.substring(cut).strip();
        if (value.startsWith("=")) {
            value = value.substring(1).strip();
        }
        if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
            value = value.substring(1, value.length() - 1);
        }
        if (!UNDERSTOOD.contains(key)) {
            ignored.add(s.substring(0, cut).strip());
            return;
        }
        opts.putIfAbsent(key, value);
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The words of ssh arguments, as Ansible's ssh connection shlex-splits them (Python's shlex). */
    static List<String> words(String s) {
        try {
            return PyShlex.split(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unbalanced quoting in ssh arguments (" + e.getMessage() + "): " + s);
        }
    }
}
