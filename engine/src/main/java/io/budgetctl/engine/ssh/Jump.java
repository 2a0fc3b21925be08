package io.budgetctl.engine.ssh;

import java.util.ArrayList;
import java.util.List;

/** One ProxyJump hop: {@code [user@]host[:port]}; {@code user} null means "the target's user". */
record Jump(String user, String host, int port) {

    Jump {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("empty host in ProxyJump");
        }
    }

    /** Parses OpenSSH's ProxyJump / -J syntax: comma-separated hops, first hop first; "none" means no hop. */
    static List<Jump> parseChain(String spec) {
        List<Jump> hops = new ArrayList<>();
        if (spec == null || spec.isBlank() || spec.strip().equalsIgnoreCase("none")) {
            return hops;
        }
        for (String part : spec.split(",")) {
            hops.add(parse(part.strip()));
        }
        return List.copyOf(hops);
    }

    static Jump parse(String hop) {
        String s = hop;
        if (s.startsWith("ssh://")) {
            s = s.substring("ssh://".length());
        }
        String user = null;
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            user = s.substring(0, at);
            s = s.substring(at + 1);
        }
        int port = 22;
        String host = s;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unbalanced [ in ProxyJump hop '" + hop + "'");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.startsWith(":")) {
                port = port(rest.substring(1), hop);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') == colon) {
                host = s.substring(0, colon);
                port = port(s.substring(colon + 1), hop);
            }
        }
        return new Jump(user == null || user.isEmpty() ? null : user, host, port);
    }

    private static int port(String p, String hop) {
        try {
            int n = Integer.parseInt(p);
            if (n < 1 || n > 65535) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port '" + p + "' in ProxyJump hop '" + hop + "'");
        }
    }

    @Override
    public String toString() {
        return (user == null ? "" : user + "@") + host + (port == 22 ? "" : ":" + port);
    }
}
