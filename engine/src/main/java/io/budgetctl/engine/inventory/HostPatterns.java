package io.budgetctl.engine.inventory;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.inventory.Inventory.Group;
import io.budgetctl.engine.inventory.Inventory.Host;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Evaluates Ansible host patterns against an {@link Inventory} (ansible-core 2.14 InventoryManager semantics). */
final class HostPatterns {
    private static final Pattern SUBSCRIPT = Pattern.compile("^(.+)\\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]+)?)]$");
    private static final Pattern COLON_PARTS = Pattern.compile("(?:[^\\s:\\[\\]]|\\[[^]]*])+");

    private final Inventory inventory;

    HostPatterns(Inventory inventory) {
        this.inventory = inventory;
    }

    /** Splits on commas, or else on colons outside brackets (unless the whole thing is one IPv6 address). */
    static List<String> split(String pattern) {
        List<String> parts = new ArrayList<>();
        if (pattern.contains(",")) {
            for (String p : pattern.split(",")) {
                parts.add(p);
            }
        } else if (isSingleAddress(pattern)) {
            parts.add(pattern);
        } else {
            Matcher m = COLON_PARTS.matcher(pattern);
            while (m.find()) {
                parts.add(m.group());
            }
        }
        List<String> out = new ArrayList<>();
        for (String p : parts) {
            if (!p.strip().isEmpty()) {
                out.add(p.strip());
            }
        }
        return out;
    }

    /**
     * An address Ansible's parse_address accepts is one pattern, not a colon-separated list: {@code host:port}
     * (so {@code db1:2222} matches nothing rather than db1) and IPv6 addresses, bracketed or not.
     */
    private static boolean isSingleAddress(String p) {
        String s = p.strip();
        HostRange.HostKey hk = HostRange.splitPort(s);
        if (hk.port() != null && hk.name().matches("[A-Za-z0-9._\\-\\[\\]:]+")) {
            return true;
        }
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int colons = s.length() - s.replace(":", "").length();
        return colons >= 2 && s.matches("[0-9a-fA-F:.]+") && !s.contains("&") && !s.contains("!");
    }

    /** Regular parts first, then {@code &} parts, then {@code !} parts; only modifiers means "all" plus them. */
    static List<String> order(List<String> parts) {
        List<String> regular = new ArrayList<>();
        List<String> and = new ArrayList<>();
        List<String> not = new ArrayList<>();
        for (String p : parts) {
            if (p.startsWith("!")) {
                not.add(p);
            } else if (p.startsWith("&")) {
                and.add(p);
            } else {
                regular.add(p);
            }
        }
        if (regular.isEmpty()) {
            regular.add("all");
        }
        List<String> out = new ArrayList<>(regular);
        out.addAll(and);
        out.addAll(not);
        return out;
    }

    /** The matching hosts; parts that match nothing are added to {@code unmatched} when it is not null. */
    List<Host> evaluate(String pattern, List<String> unmatched) {
        List<Host> hosts = new ArrayList<>();
        for (String p : order(split(pattern == null ? "" : pattern))) {
            Host exact = inventory.hostMap().get(p);
            if (exact != null) {
                if (!hosts.contains(exact)) {
                    hosts.add(exact);
                }
                continue;
            }
            List<Host> that = matchOne(p, unmatched);
            if (p.startsWith("!")) {
                Set<Host> s = new HashSet<>(that);
                hosts.removeIf(s::contains);
            } else if (p.startsWith("&")) {
                Set<Host> s = new HashSet<>(that);
                hosts.removeIf(h -> !s.contains(h));
            } else {
                for (Host h : that) {
                    if (!hosts.contains(h)) {
                        hosts.add(h);
                    }
                }
            }
        }
        return new ArrayList<>(new LinkedHashSet<>(hosts));
    }

    private List<Host> matchOne(String pattern, List<String> unmatched) {
        String p = pattern.startsWith("&") || pattern.startsWith("!") ? pattern.substring(1) : pattern;
        if (p.isEmpty()) {
            return List.of();
        }
        String expr = p;
        int[] subscript = null;
        if (!p.startsWith("~")) {
            Matcher m = SUBSCRIPT.matcher(p);
            if (m.matches()) {
                expr = m.group(1);
                if (m.group(2) != null) {
                    subscript = new int[] {Integer.parseInt(m.group(2))};
                } else {
                    int end = m.group(5) == null ? -1 : Integer.parseInt(m.group(5));
                    subscript = new int[] {Integer.parseInt(m.group(3)), end};
                }
            }
        }
        List<Host> hosts = enumerate(expr, unmatched, p);
        if (subscript == null || hosts.isEmpty()) {
            return hosts;
        }
        try {
            if (subscript.length == 1) {
                int i = subscript[0] < 0 ? hosts.size() + subscript[0] : subscript[0];
                return List.of(hosts.get(i));
            }
            int start = subscript[0];
            int end = subscript[1] == -1 ? hosts.size() - 1 : subscript[1];
            if (start >= hosts.size()) {
                throw new IndexOutOfBoundsException();
            }
            return new ArrayList<>(hosts.subList(start, Math.min(end + 1, hosts.size())));
        } catch (IndexOutOfBoundsException e) {
            throw new EngineException(SourceLocation.UNKNOWN, "no hosts matched the subscripted pattern '" + p + "'",
                    "the group '" + expr + "' has " + hosts.size() + " host(s); subscripts start at 0");
        }
    }

    private List<Host> enumerate(String pattern, List<String> unmatched, String original) {
        Pattern re = compile(pattern);
        List<Host> results = new ArrayList<>();
        boolean groupMatched = false;
        for (Group g : inventory.groupMap().values()) {
            if (matches(re, pattern, g.name)) {
                groupMatched = true;
                results.addAll(inventory.hostsOf(g));
            }
        }
        boolean special = pattern.startsWith("~") || pattern.contains(".") || pattern.contains("?")
                || pattern.contains("*") || pattern.contains("[");
        if (!groupMatched || special) {
            for (Host h : inventory.hostMap().values()) {
                if (matches(re, pattern, h.name)) {
                    results.add(h);
                }
            }
        }
        if (results.isEmpty() && Inventory.LOCALHOST.contains(pattern)) {
            inventory.host(pattern).ifPresent(results::add);
        }
        if (results.isEmpty() && !groupMatched && !pattern.equals("all") && unmatched != null) {
            unmatched.add(original);
        }
        return new ArrayList<>(new LinkedHashSet<>(results));
    }

    private static boolean matches(Pattern re, String pattern, String name) {
        Matcher m = re.matcher(name);
        // Python's re.match: anchored at the start only; fnmatch patterns end with their own anchor
        return m.lookingAt();
    }

    private static Pattern compile(String pattern) {
        try {
            if (pattern.startsWith("~")) {
                return Pattern.compile(pattern.substring(1));
            }
            return Pattern.compile(globToRegex(pattern));
        } catch (PatternSyntaxException e) {
            throw new EngineException(SourceLocation.UNKNOWN, "invalid host pattern '" + pattern + "': "
                    + e.getDescription(), "use shell wildcards (web*) or a regular expression after '~'");
        }
    }

    /** Python's fnmatch.translate: * ? [seq] [!seq], everything else literal, whole-name match. */
    static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        int n = glob.length();
        while (i < n) {
            char c = glob.charAt(i++);
            if (c == '*') {
                sb.append(".*");
            } else if (c == '?') {
                sb.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && glob.charAt(j) == '!') {
                    j++;
                }
                if (j < n && glob.charAt(j) == ']') {
                    j++;
                }
                while (j < n && glob.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    sb.append("\\[");
                } else {
                    String stuff = glob.substring(i, j).replace("\\", "\\\\");
                    i = j + 1;
                    if (stuff.startsWith("!")) {
                        stuff = "^" + stuff.substring(1);
                    } else if (stuff.startsWith("^")) {
                        stuff = "\\" + stuff;
                    }
                    sb.append('[').append(stuff.replace("[", "\\[")).append(']');
                }
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return "(?s:" + sb + ")\\z";
    }
}
