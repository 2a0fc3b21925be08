package io.budgetctl.engine.inventory;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A compact set of Ansible facts gathered with one POSIX {@code sh} command (no Python on the host). Names, types
 * and spelling follow Ansible's setup module on Debian; every fact is returned twice, as {@code ansible_<name>} and
 * inside {@code ansible_facts} as {@code <name>}, like Ansible's fact injection.
 *
 * <p>On the host it reads /etc/os-release, /etc/debian_version, /proc/cpuinfo, /proc/meminfo, {@code uname},
 * {@code id}, {@code getent}, {@code ip -4 route get} and {@code ip -4 -o addr}; it changes nothing.
 */
public final class Facts {
    static final String SCRIPT = """
            p() { printf '%s=%s\\n' "$1" "$2"; }
            if [ -r /etc/os-release ]; then . /etc/os-release; fi
            p os_id "${ID:-}"; p os_id_like "${ID_LIKE:-}"; p os_version_id "${VERSION_ID:-}"
            p os_codename "${VERSION_CODENAME:-}"; p os_name "${NAME:-}"
            if [ -r /etc/debian_version ]; then p debian_version "$(head -n1 /etc/debian_version)"; fi
            p system "$(uname -s)"; p kernel "$(uname -r)"; p kernel_version "$(uname -v)"
            p machine "$(uname -m)"; p nodename "$(uname -n)"
            node=$(uname -n)
            ip=$(getent ahosts "$node" 2>/dev/null | awk 'NR==1{print $1}')
            if [ -n "$ip" ]; then p fqdn_names "$(getent hosts "$ip" 2>/dev/null | head -n1 | cut -d' ' -f2- | tr -s ' \\t' '  ')"; fi
            p cpu_processors "$(grep -c '^processor' /proc/cpuinfo 2>/dev/null)"
            p cpu_sockets "$(grep '^physical id' /proc/cpuinfo 2>/dev/null | sort -u | wc -l)"
            p cpu_cores "$(grep -m1 '^cpu cores' /proc/cpuinfo 2>/dev/null | cut -d: -f2)"
            p cpu_siblings "$(grep -m1 '^siblings' /proc/cpuinfo 2>/dev/null | cut -d: -f2)"
            p memtotal_kb "$(awk '/^MemTotal:/{print $2}' /proc/meminfo 2>/dev/null)"
            p user_id "$(id -un)"; p user_uid "$(id -u)"; p user_gid "$(id -g)"
            p passwd "$(getent passwd "$(id -un)" 2>/dev/null)"
            if command -v ip >/dev/null 2>&1; then
              p route "$(ip -4 route get 8.8.8.8 2>/dev/null | head -n1)"
              p ifs "$(ls -U /sys/class/net 2>/dev/null | tr '\\n' ' ')"
              ip -4 -o addr show 2>/dev/null | while read -r _ dev _ cidr rest; do p addr "$dev $cidr $rest"; done
            fi
            for m in apt-get dnf yum zypper apk pacman; do
              if command -v "$m" >/dev/null 2>&1; then p pkg "$m"; break; fi
            done
            """;

    private Facts() {
    }

    /**
     * Runs the fact script on {@code c} and returns the facts.
     *
     * @throws EngineException when the script fails (e.g. no /bin/sh on the host)
     */
    public static Map<String, Object> gather(Connection c) {
        ExecResult r = c.exec(ExecRequest.shell(SCRIPT).withTimeout(Duration.ofSeconds(60)));
        if (!r.ok()) {
            throw new EngineException(SourceLocation.of(c.host()), "gathering facts failed (exit " + r.exitCode()
                    + "): " + r.stderr().strip(), "the host needs a POSIX /bin/sh with uname, id and awk");
        }
        return fromOutput(r.stdout(), c.host());
    }

    /** Builds the fact map from the script's {@code key=value} lines. */
    static Map<String, Object> fromOutput(String out, String host) {
        Map<String, String> raw = new LinkedHashMap<>();
        List<String> addrs = new ArrayList<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String k = line.substring(0, eq);
            String v = line.substring(eq + 1);
            if (k.equals("addr")) {
                addrs.add(v);
            } else {
                raw.put(k, v.strip());
            }
        }
        Map<String, Object> f = new LinkedHashMap<>();
        distribution(raw, f);
        String node = raw.getOrDefault("nodename", host);
        f.put("hostname", node.split("\\.", -1)[0]);
        f.put("nodename", node);
        String fqdn = fqdn(node, raw.get("fqdn_names"));
        f.put("fqdn", fqdn);
        f.put("domain", fqdn.contains(".") ? fqdn.substring(fqdn.indexOf('.') + 1) : "");
        String machine = raw.getOrDefault("machine", "");
        f.put("architecture", machine.matches("i[3-6]86") ? "i386" : machine);
        f.put("machine", machine);
        f.put("system", raw.getOrDefault("system", ""));
        f.put("kernel", raw.getOrDefault("kernel", ""));
        f.put("kernel_version", raw.getOrDefault("kernel_version", ""));
        cpu(raw, f);
        f.put("memtotal_mb", toInt(raw.get("memtotal_kb"), 0) / 1024);
        user(raw, f);
        network(raw.getOrDefault("route", ""), raw.getOrDefault("ifs", ""), addrs, f);
        String pkg = raw.get("pkg");
        if (pkg != null) {
            f.put("pkg_mgr", pkg.equals("apt-get") ? "apt" : pkg);
        }
        Map<String, Object> out2 = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : f.entrySet()) {
            out2.put("ansible_" + e.getKey(), e.getValue());
        }
        out2.put("ansible_facts", f);
        return out2;
    }

    private static final Map<String, String> DISTRIBUTIONS = Map.ofEntries(
            Map.entry("debian", "Debian"), Map.entry("ubuntu", "Ubuntu"), Map.entry("linuxmint", "Linux Mint"),
            Map.entry("raspbian", "Debian"), Map.entry("rhel", "RedHat"), Map.entry("centos", "CentOS"),
            Map.entry("fedora", "Fedora"), Map.entry("rocky", "Rocky"), Map.entry("almalinux", "AlmaLinux"),
            Map.entry("ol", "OracleLinux"), Map.entry("amzn", "Amazon"), Map.entry("alpine", "Alpine"),
            Map.entry("arch", "Archlinux"), Map.entry("sles", "SLES"), Map.entry("opensuse-leap", "openSUSE Leap"),
            Map.entry("opensuse-tumbleweed", "openSUSE Tumbleweed"));
    private static final Map<String, String> FAMILIES = Map.ofEntries(
            Map.entry("Debian", "Debian"), Map.entry("Ubuntu", "Debian"), Map.entry("Linux Mint", "Debian"),
            Map.entry("RedHat", "RedHat"), Map.entry("CentOS", "RedHat"), Map.entry("Fedora", "RedHat"),
            Map.entry("Rocky", "RedHat"), Map.entry("AlmaLinux", "RedHat"), Map.entry("OracleLinux", "RedHat"),
            Map.entry("Amazon", "RedHat"), Map.entry("Alpine", "Alpine"), Map.entry("Archlinux", "Archlinux"),
            Map.entry("SLES", "Suse"), Map.entry("openSUSE Leap", "Suse"), Map.entry("openSUSE Tumbleweed", "Suse"));

    private static void distribution(Map<String, String> raw, Map<String, Object> f) {
        String id = raw.getOrDefault("os_id", "").toLowerCase(Locale.ROOT);
        String system = raw.getOrDefault("system", "");
        String name = DISTRIBUTIONS.getOrDefault(id, id.isEmpty() ? system : capitalize(id));
        String version = raw.getOrDefault("os_version_id", "");
        String debian = raw.get("debian_version");
        if (name.equals("Debian") && debian != null && debian.matches("[0-9]+(\\.[0-9]+)*")) {
            version = debian; // Ansible reports the point release (12.11), not os-release's "12"
        }
        f.put("distribution", name);
        f.put("distribution_version", version);
        f.put("distribution_major_version", version.isEmpty() ? "" : version.split("\\.", -1)[0]);
        f.put("distribution_release", raw.getOrDefault("os_codename", ""));
        String family = FAMILIES.get(name);
        if (family == null) {
            String like = raw.getOrDefault("os_id_like", "");
            family = like.contains("debian") || like.contains("ubuntu") ? "Debian"
                    : like.contains("rhel") || like.contains("fedora") ? "RedHat"
                    : like.contains("suse") ? "Suse" : name;
        }
        f.put("os_family", family);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Python's socket.getfqdn: the first of canonical name and aliases with a dot, else the canonical name. */
    private static String fqdn(String node, String names) {
        if (names == null || names.isBlank()) {
            return node;
        }
        String[] all = names.strip().split("\\s+");
        for (String n : all) {
            if (n.contains(".")) {
                return n;
            }
        }
        return all[0];
    }

    private static void cpu(Map<String, String> raw, Map<String, Object> f) {
        int processors = toInt(raw.get("cpu_processors"), 1);
        int sockets = toInt(raw.get("cpu_sockets"), 0);
        int cores = toInt(raw.get("cpu_cores"), 0);
        int siblings = toInt(raw.get("cpu_siblings"), 0);
        if (sockets > 0 && cores > 0 && siblings > 0) {
            f.put("processor_count", sockets);
            f.put("processor_cores", cores);
            f.put("processor_threads_per_core", Math.max(siblings / cores, 1));
            f.put("processor_vcpus", sockets * siblings);
        } else {
            f.put("processor_count", processors);
            f.put("processor_cores", 1);
            f.put("processor_threads_per_core", 1);
            f.put("processor_vcpus", processors);
        }
        f.put("processor_nproc", processors);
    }

    private static void user(Map<String, String> raw, Map<String, Object> f) {
        f.put("user_id", raw.getOrDefault("user_id", ""));
        f.put("user_uid", toInt(raw.get("user_uid"), -1));
        f.put("user_gid", toInt(raw.get("user_gid"), -1));
        String[] pw = raw.getOrDefault("passwd", "").split(":", -1);
        if (pw.length >= 7) {
            f.put("user_gecos", pw[4]);
            f.put("user_dir", pw[5]);
            f.put("user_shell", pw[6]);
        }
    }

    private static void network(String route, String interfaces, List<String> addrs, Map<String, Object> f) {
        Map<String, Object> def = new LinkedHashMap<>();
        String[] w = route.strip().split("\\s+");
        String dev = after(w, "dev");
        String src = after(w, "src");
        String via = after(w, "via");
        List<String[]> all = new ArrayList<>(); // interface, address
        for (String a : addrs) {
            String[] parts = a.strip().split("\\s+");
            if (parts.length < 2 || !parts[1].contains("/")) {
                continue;
            }
            String ifname = parts[0];
            String address = parts[1].substring(0, parts[1].indexOf('/'));
            int prefix = toInt(parts[1].substring(parts[1].indexOf('/') + 1), 32);
            if (!address.startsWith("127.")) {
                all.add(new String[] {ifname, address});
            }
            if (ifname.equals(dev) && address.equals(src)) {
                def.put("address", address);
                def.put("alias", ifname);
                String brd = after(parts, "brd");
                if (brd != null) {
                    def.put("broadcast", brd);
                }
                def.put("gateway", via);
                def.put("interface", ifname);
                long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
                def.put("netmask", dotted(mask));
                def.put("network", dotted(ipToLong(address) & mask));
                def.put("prefix", String.valueOf(prefix));
            }
        }
        if (def.isEmpty() && dev != null && src != null) {
            def.put("address", src);
            def.put("gateway", via);
            def.put("interface", dev);
        }
        if (def.containsKey("gateway") && def.get("gateway") == null) {
            def.remove("gateway");
        }
        f.put("default_ipv4", def);
        // Ansible walks glob('/sys/class/net/*'), i.e. the directory's own order (ls -U), not sorted names
        List<String> order = List.of(interfaces.strip().split("\\s+"));
        all.sort(java.util.Comparator.comparingInt((String[] x) -> order.indexOf(x[0]) < 0 ? Integer.MAX_VALUE
                : order.indexOf(x[0])));
        List<String> addresses = new ArrayList<>();
        for (String[] x : all) {
            addresses.add(x[1]);
        }
        f.put("all_ipv4_addresses", addresses);
    }

    private static String after(String[] words, String key) {
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals(key)) {
                return words[i + 1];
            }
        }
        return null;
    }

    private static long ipToLong(String ip) {
        long n = 0;
        for (String p : ip.split("\\.")) {
            n = (n << 8) | (Integer.parseInt(p) & 0xff);
        }
        return n;
    }

    private static String dotted(long n) {
        return ((n >> 24) & 0xff) + "." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
    }

    private static int toInt(String s, int dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
