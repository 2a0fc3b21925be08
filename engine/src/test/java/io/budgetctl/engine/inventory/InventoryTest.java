package io.budgetctl.engine.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryTest {
    private static final Path FIXTURES = Path.of("src/test/resources/inventory");

    @TempDir
    Path dir;

    @Test
    void hostsAppearInTheOrderTheyAreFirstWrittenWithRangesExpanded() {
        // given / when
        Inventory inv = Inventory.load(List.of(FIXTURES.resolve("basic/hosts.yml")));

        // then
        assertThat(inv.hostNames()).containsExactly("lonely", "web01.example.com", "web02.example.com",
                "web03.example.com", "api1", "db1", "db2");
    }

    @Test
    void hostVarsFollowAnsiblePrecedenceFromAllGroupToHostVarsFiles() {
        // given
        Inventory inv = Inventory.load(List.of(FIXTURES.resolve("basic/hosts.yml")));

        // when
        Map<String, Object> web01 = inv.hostVars("web01.example.com");
        Map<String, Object> web02 = inv.hostVars("web02.example.com");
        Map<String, Object> db2 = inv.hostVars("db2");

        // then: host_vars/ beats everything; group_vars/web/ (deeper group) beats group_vars/app and all
        assertThat(web01.get("level")).isEqualTo("host_vars-web01");
        assertThat(web02.get("level")).isEqualTo("web-group_vars-01");
        // group_vars/all beats inventory-file vars of groups (Ansible's documented order)
        assertThat(db2.get("level")).isEqualTo("all-group_vars");
        // inventory-file vars of a deeper group beat those of all
        assertThat(web02.get("http_port")).isEqualTo(8080);
        // mappings are replaced, not merged
        assertThat(web02.get("nested")).isEqualTo(Map.of("a", 9));
        // group_vars/web.yml is not read because group_vars/web/ exists
        assertThat(web02).doesNotContainKey("shadowed");
    }

    @Test
    void hostKeyWithPortSetsAnsiblePortAndYamlOneOneScalarsAreTyped() {
        // given
        Inventory inv = Inventory.load(List.of(FIXTURES.resolve("basic/hosts.yml")));

        // when
        Map<String, Object> db1 = inv.hostVars("db1");

        // then
        assertThat(db1).containsEntry("ansible_port", 2222).containsEntry("mode", 420)
                .containsEntry("backup", true).containsEntry("quoted", "0644")
                .containsEntry("role", "primary-from-host_vars");
    }

    @Test
    void hostVarsCarryInventoryMagicVariables() {
        // given
        Inventory inv = Inventory.load(List.of(FIXTURES.resolve("basic/hosts.yml")));

        // when
        Map<String, Object> vars = inv.hostVars("web01.example.com");

        // then
        assertThat(vars).containsEntry("inventory_hostname", "web01.example.com")
                .containsEntry("inventory_hostname_short", "web01")
                .containsEntry("group_names", List.of("app", "web"));
        assertThat((String) vars.get("inventory_file")).endsWith("basic/hosts.yml");
    }

    @Test
    void groupsIncludeAllAndUngroupedAndNestedHosts() {
        // given
        Inventory inv = Inventory.load(List.of(FIXTURES.resolve("basic/hosts.yml")));

        // when
        Map<String, List<String>> groups = inv.groups();

        // then
        assertThat(groups.keySet()).containsExactly("all", "ungrouped", "app", "web", "api", "db");
        assertThat(groups.get("ungrouped")).containsExactly("lonely");
        assertThat(groups.get("app")).containsExactly("web01.example.com", "web02.example.com",
                "web03.example.com", "api1");
        assertThat(inv.groupNamesOf("lonely")).containsExactly("ungrouped");
        assertThat(inv.groupNamesOf("api1")).containsExactly("api", "app");
    }

    @Test
    void groupPriorityOverridesAlphabeticalOrderAtTheSameDepth() {
        // given
        Inventory inv = Inventory.load(List.of(FIXTURES.resolve("priority/hosts.yml")));

        // when
        Map<String, Object> both = inv.hostVars("both");

        // then: alpha < beta alphabetically; zulu has priority 0 so it merges first, omega (1) after it
        assertThat(both).containsEntry("color", "beta").containsEntry("size", "beta")
                .containsEntry("shape", "omega").doesNotContainKey("ansible_group_priority");
    }

    @Test
    void directorySourceReadsEveryInventoryFileAndSkipsIgnoredOnes() {
        // given / when
        Inventory inv = Inventory.load(List.of(FIXTURES.resolve("multi/a")));

        // then
        assertThat(inv.hostNames()).containsExactly("m-web1", "m-web2", "m-db1", "m-loose");
        assertThat(inv.hostVars("m-db1")).containsEntry("ansible_host", "10.0.0.5").containsEntry("a_all", 1);
    }

    @Test
    void noInventoryMeansOnlyAnImplicitLocalhost() {
        // given
        Inventory inv = Inventory.load(List.of());

        // when / then
        assertThat(inv.hostNames()).isEmpty();
        assertThat(inv.select("all")).isEmpty();
        assertThat(inv.select("localhost")).containsExactly("localhost");
        assertThat(inv.hostVars("localhost")).containsEntry("ansible_connection", "local");
        assertThat(inv.groups().get("all")).isEmpty();
    }

    @Test
    void unknownHostIsAnError() {
        Inventory inv = Inventory.load(List.of());
        assertThatThrownBy(() -> inv.hostVars("web9")).isInstanceOf(EngineException.class)
                .hasMessageContaining("'web9' is not in the inventory");
    }

    @Test
    void iniInventoryIsRejectedWithAConversionHint() throws Exception {
        // given
        Path ini = write("hosts", "# customer A\n[web]\nweb1 ansible_host=10.0.0.1\n");

        // when / then
        assertThatThrownBy(() -> Inventory.load(List.of(ini)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.getMessage()).contains("INI inventories are not supported");
                    assertThat(e.hint()).contains("ansible-inventory -i").contains("--list -y");
                });
    }

    @Test
    void nonYamlExtensionIsRejected() throws Exception {
        Path ini = write("hosts.ini", "web1\n");
        assertThatThrownBy(() -> Inventory.load(List.of(ini))).isInstanceOf(EngineException.class)
                .hasMessageContaining("not a YAML inventory");
    }

    @Test
    void missingSourceIsAnError() {
        assertThatThrownBy(() -> Inventory.load(List.of(dir.resolve("nope.yml"))))
                .isInstanceOf(EngineException.class).hasMessage("inventory source not found");
    }

    @Test
    void unexpectedGroupKeyPointsAtItsLineAndColumnWithASuggestion() throws Exception {
        // given
        Path f = write("inv.yml", "all:\n  children:\n    web:\n      host:\n        web1:\n");

        // when / then
        assertThatThrownBy(() -> Inventory.load(List.of(f)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.oneLine()).isEqualTo(f + ":4:7: unexpected key 'host' in group 'web'");
                    assertThat(e.hint()).contains("did you mean 'hosts'");
                });
    }

    @Test
    void hostsWrittenAsAListAreAnErrorAtTheList() throws Exception {
        // given
        Path f = write("inv.yml", "web:\n  hosts:\n    - web1\n    - web2\n");

        // when / then
        assertThatThrownBy(() -> Inventory.load(List.of(f)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.location().line()).isEqualTo(3);
                    assertThat(e.getMessage()).isEqualTo("'hosts' of group 'web' must be a mapping, found a list");
                });
    }

    @Test
    void numericHostNameMustBeQuoted() throws Exception {
        Path f = write("inv.yml", "web:\n  hosts:\n    10:\n");
        assertThatThrownBy(() -> Inventory.load(List.of(f))).isInstanceOf(EngineException.class)
                .hasMessage("host name '10' must be a string");
    }

    @Test
    void groupLoopIsAnError() throws Exception {
        Path f = write("inv.yml", "a:\n  children:\n    b:\n      children:\n        a:\n");
        assertThatThrownBy(() -> Inventory.load(List.of(f))).isInstanceOf(EngineException.class)
                .hasMessageContaining("creates a loop");
    }

    @Test
    void badRangeIsAnErrorAtTheHostKey() throws Exception {
        Path f = write("inv.yml", "web:\n  hosts:\n    web[01:3]:\n");
        assertThatThrownBy(() -> Inventory.load(List.of(f)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.location().line()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("equal-length");
                });
    }

    @Test
    void varsFileThatIsNotAMappingIsAnErrorInThatFile() throws Exception {
        // given
        Path f = write("inv.yml", "web:\n  hosts:\n    web1:\n");
        Files.createDirectories(dir.resolve("group_vars"));
        write("group_vars/web.yml", "- a\n- b\n");
        Inventory inv = Inventory.load(List.of(f));

        // when / then
        assertThatThrownBy(() -> inv.hostVars("web1"))
                .isInstanceOfSatisfying(EngineException.class, e ->
                        assertThat(e.location().file()).endsWith("group_vars/web.yml"));
    }

    @Test
    void emptyInventoryFileIsAnError() throws Exception {
        Path f = write("inv.yml", "# nothing yet\n");
        assertThatThrownBy(() -> Inventory.load(List.of(f))).isInstanceOf(EngineException.class)
                .hasMessage("inventory file is empty");
    }

    @Test
    void hostsOnlyListedUnderAllAreUngrouped() throws Exception {
        // given
        Path f = write("inv.yml", "all:\n  hosts:\n    solo:\n  children:\n    web:\n      hosts:\n        w1:\n");

        // when
        Inventory inv = Inventory.load(List.of(f));

        // then
        assertThat(inv.groups().get("ungrouped")).containsExactly("solo");
        assertThat(inv.groupNamesOf("w1")).containsExactly("web");
    }

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }
}
