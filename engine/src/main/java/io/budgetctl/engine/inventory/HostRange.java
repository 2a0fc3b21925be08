package io.budgetctl.engine.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands Ansible host ranges in inventory host names: {@code web[01:03]} gives web01, web02, web03;
 * {@code db-[a:c]} gives db-a, db-b, db-c; {@code n[0:10:5]} steps by 5; several ranges multiply. Also splits a
 * trailing {@code :port} off a host key ({@code web1:2222}, {@code [::1]:2222}).
 */
final class HostRange {
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private HostRange() {
    }

    /** A host key split into name (range not yet expanded) and port (null when none). */
    record HostKey(String name, Integer port) {
    }

    static boolean hasRange(String s) {
        int open = s.indexOf('[');
        int colon = s.indexOf(':', Math.max(open, 0));
        int close = s.indexOf(']');
        return open >= 0 && open < colon && colon < close;
    }

    /** Splits {@code host:port}; IPv6 addresses need brackets to carry a port, as in Ansible. */
    static HostKey splitPort(String key) {
        if (key.startsWith("[") && key.contains("]:")) {
            int end = key.indexOf("]:");
            String inner = key.substring(1, end);
            String port = key.substring(end + 2);
            if (inner.contains(":") && port.matches("[0-9]+")) {
                return new HostKey(inner, Integer.valueOf(port));
            }
        }
        // count colons outside brackets: exactly one, followed by digits, is a port
        int depth = 0;
        int colons = 0;
        int last = -1;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ':' && depth == 0) {
                colons++;
                last = i;
            }
        }
        if (colons == 1) {
            String port = key.substring(last + 1);
            if (port.matches("[0-9]+") && last > 0) {
                return new HostKey(key.substring(0, last), Integer.valueOf(port));
            }
        }
        return new HostKey(key, null);
    }

    /** All names {@code pattern} stands for; a name without a range is returned as is. */
    static List<String> expand(String pattern) {
        List<String> out = new ArrayList<>();
        if (!hasRange(pattern)) {
            out.add(pattern);
            return out;
        }
        int open = pattern.indexOf('[');
        int close = pattern.indexOf(']', open);
        String head = pattern.substring(0, open);
        String range = pattern.substring(open + 1, close);
        String tail = pattern.substring(close + 1);
        String[] bounds = range.split(":", -1);
        if (bounds.length != 2 && bounds.length != 3) {
            throw new IllegalArgumentException("host range must be begin:end or begin:end:step, got [" + range + "]");
        }
        String beg = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        if (end.isEmpty()) {
            throw new IllegalArgumentException("host range must specify an end value: [" + range + "]");
        }
        int step = bounds.length == 3 ? parse(bounds[2], range) : 1;
        if (step <= 0) {
            throw new IllegalArgumentException("host range step must be positive: [" + range + "]");
        }
        int width = beg.length() > 1 && beg.charAt(0) == '0' ? beg.length() : 0;
        if (width > 0 && width != end.length()) {
            throw new IllegalArgumentException(
                    "host range must use equal-length begin and end when zero-padded: [" + range + "]");
        }
        List<String> items = new ArrayList<>();
        int ib = beg.length() == 1 ? LETTERS.indexOf(beg) : -1;
        int ie = end.length() == 1 ? LETTERS.indexOf(end) : -1;
        if (ib >= 0 && ie >= 0) {
            if (ib > ie) {
                throw new IllegalArgumentException("host range must have begin <= end: [" + range + "]");
            }
            for (int i = ib; i <= ie; i += step) {
                items.add(String.valueOf(LETTERS.charAt(i)));
            }
        } else {
            int b = parse(beg, range);
            int e = parse(end, range);
            for (int i = b; i <= e; i += step) {
                String s = String.valueOf(i);
                while (s.length() < width) {
                    s = "0" + s;
                }
                items.add(s);
            }
        }
        for (String item : items) {
            out.addAll(expand(head + item + tail));
        }
        return out;
    }

    private static int parse(String n, String range) {
        try {
            return Integer.parseInt(n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("host range bounds must be numbers or single letters: [" + range + "]");
        }
    }
}
