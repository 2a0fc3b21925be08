package io.budgetctl.engine.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential test: the same fixture inventories loaded by our {@link Inventory} and by the real ansible-core
 * installed on this machine ({@code ansible-inventory --list}, {@code ansible -m debug}, {@code --list-hosts}).
 * Fails when ansible is missing: the comparison is the point.
 */
class InventoryAnsibleIT {
    private static final Path FIXTURES = Path.of("src/test/resources/inventory").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Keys Ansible keeps out of ansible-inventory --list output; we compare them separately. */
    private static final Set<String> MAGIC = Set.of("inventory_file", "inventory_dir", "inventory_hostname",
            "inventory_hostname_short", "group_names");
    private static final List<String> PATTERNS = List.of("all", "*", "web", "app", "db:web", "web,db", "app:&web",
            "app:!api", "web*", "~web0[12].*", "db1:2222", "ungrouped", "web[0]", "web[1:]", "web[-1]", "nosuch",
            "all:!db", "m-web*:&edge", "edge:!m-web3", "rack_1:dc_ams", "region_eu:&rack_1", "both", "alpha:beta",
            "lonely,api1");

    @TempDir
    Path cwd;

    @ParameterizedTest
    @ValueSource(strings = {"basic/hosts.yml", "priority/hosts.yml", "multi/a multi/b/hosts.yml", "deep/hosts.yml",
            "basic/hosts.yml multi/a"})
    void mergedHostVarsMatchAnsibleInventoryList(String sources) throws Exception {
        // given
        List<Path> paths = paths(sources);
        Inventory inv = Inventory.load(paths);

        // when
        JsonNode list = JSON.readTree(run(withSources(List.of("ansible-inventory", "--list"), paths)));

        // then
        JsonNode hostvars = list.path("_meta").path("hostvars");
        Set<String> ansibleHosts = new TreeSet<>();
        hostvars.fieldNames().forEachRemaining(ansibleHosts::add);
        assertThat(new TreeSet<>(inv.hostNames())).isEqualTo(ansibleHosts);
        for (String host : inv.hostNames()) {
            Map<String, Object> ours = new HashMap<>(inv.hostVars(host));
            ours.keySet().removeAll(MAGIC);
            assertThat((JsonNode) JSON.valueToTree(ours)).as("vars of %s", host).isEqualTo(hostvars.get(host));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic/hosts.yml", "priority/hosts.yml", "multi/a multi/b/hosts.yml", "deep/hosts.yml"})
    void groupsAndGroupNamesMatchAnsibleMagicVars(String sources) throws Exception {
        // given
        List<Path> paths = paths(sources);
        Inventory inv = Inventory.load(paths);

        // when
        List<String> cmd = withSources(List.of("ansible", "all", "-m", "debug", "-a",
                "msg={{ {'groups': groups, 'group_names': group_names, 'short': inventory_hostname_short} }}"), paths);
        JsonNode hosts = runOneline(cmd);

        // then
        assertThat(hosts.size()).isEqualTo(inv.hostNames().size());
        for (String host : inv.hostNames()) {
            JsonNode msg = hosts.path(host).path("msg");
            assertThat(strings(msg.path("group_names"))).as("group_names of %s", host)
                    .isEqualTo(inv.groupNamesOf(host));
            assertThat(msg.path("short").asText()).isEqualTo(inv.hostVars(host).get("inventory_hostname_short"));
            Map<String, Set<String>> ansibleGroups = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = msg.path("groups").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                ansibleGroups.put(e.getKey(), new HashSet<>(strings(e.getValue())));
            }
            Map<String, Set<String>> ours = new HashMap<>();
            inv.groups().forEach((g, hs) -> ours.put(g, new HashSet<>(hs)));
            // membership must agree; order inside nested groups is not stable in Ansible itself (it walks a set)
            assertThat(ours).as("groups seen from %s", host).isEqualTo(ansibleGroups);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic/hosts.yml", "priority/hosts.yml", "multi/a multi/b/hosts.yml", "deep/hosts.yml"})
    void hostPatternsSelectTheSameHostsAsAnsibleListHosts(String sources) throws Exception {
        // given
        List<Path> paths = paths(sources);
        Inventory inv = Inventory.load(paths);

        for (String pattern : PATTERNS) {
            // when
            List<String> ansible = listHosts(pattern, paths);
            List<String> ours = inv.select(pattern);

            // then
            if (nestingDepth(inv) <= 2) {
                assertThat(ours).as("pattern %s on %s", pattern, sources).isEqualTo(ansible);
            } else {
                assertThat(ours).as("pattern %s on %s", pattern, sources).containsExactlyInAnyOrderElementsOf(ansible);
            }
            assertThat(inv.unmatchedPatterns(pattern).isEmpty()).as("unmatched %s", pattern)
                    .isEqualTo(!ansibleWarnedNoMatch);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "basic/hosts.yml"})
    void implicitLocalhostGetsLocalConnectionLikeAnsible(String sources) throws Exception {
        // given
        List<Path> paths = paths(sources);
        Inventory inv = Inventory.load(paths);

        // when
        List<String> cmd = withSources(List.of("ansible", "localhost", "-m", "debug", "-a",
                "msg={{ {'c': ansible_connection, 'all': groups['all'], 'ntp': ntp_server | default('none')} }}"),
                paths);
        JsonNode msg = runOneline(cmd)
                .path("localhost").path("msg");

        // then
        Map<String, Object> vars = inv.hostVars("localhost");
        assertThat(vars.get("ansible_connection")).isEqualTo(msg.path("c").asText());
        assertThat(inv.groups().get("all")).isEqualTo(strings(msg.path("all")));
        assertThat(String.valueOf(vars.getOrDefault("ntp_server", "none"))).isEqualTo(msg.path("ntp").asText());
        assertThat(inv.select("localhost")).containsExactly("localhost");
        assertThat(inv.select("all")).doesNotContain("localhost");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private boolean ansibleWarnedNoMatch;

    private List<String> listHosts(String pattern, List<Path> paths) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ansible", pattern, "--list-hosts"));
        String out = run(withSources(cmd, paths));
        ansibleWarnedNoMatch = lastStderr.contains("Could not match supplied host pattern");
        List<String> hosts = new ArrayList<>();
        boolean started = false;
        for (String line : out.split("\n")) {
            if (line.strip().startsWith("hosts (")) {
                started = true;
            } else if (started && !line.isBlank()) {
                hosts.add(line.strip());
            }
        }
        return hosts;
    }

    private static int nestingDepth(Inventory inv) {
        int max = 0;
        for (Inventory.Group g : inv.groupMap().values()) {
            max = Math.max(max, g.depth);
        }
        return max;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<Path> paths(String sources) {
        List<Path> out = new ArrayList<>();
        for (String s : sources.split(" ")) {
            if (!s.isBlank()) {
                out.add(FIXTURES.resolve(s));
            }
        }
        return out;
    }

    private static List<String> withSources(List<String> cmd, List<Path> paths) {
        List<String> out = new ArrayList<>(cmd);
        if (paths.isEmpty()) {
            // no inventory at all: an empty host list, so /etc/ansible/hosts is not read
            out.add("-i");
            out.add(",");
        }
        for (Path p : paths) {
            out.add("-i");
            out.add(p.toString());
        }
        return out;
    }

    private String lastStderr = "";

    private JsonNode runOneline(List<String> cmd) throws Exception {
        return AnsibleOneline.hosts(run(cmd, AnsibleOneline.ENV));
    }

    private String run(List<String> cmd) throws Exception {
        return run(cmd, Map.of());
    }

    private String run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().putAll(env);
        pb.environment().put("ANSIBLE_HOST_PATTERN_MISMATCH", "warning");
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "0");
        Path err = Files.createTempFile(cwd, "stderr", ".txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        lastStderr = Files.readString(err);
        assertThat(p.exitValue()).as("%s failed: %s%s", cmd, out, lastStderr).isZero();
        return out;
    }
}
