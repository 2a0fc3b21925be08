package io.budgetctl.modules;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.Module;
import io.budgetctl.engine.module.ModuleRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The whole set of built-in modules as playbooks see it: every name, the class behind it, its check-mode support and
 * its aliases. Playbooks name modules, never classes, so a change to where a class lives or how the service file
 * lists it must leave this table as it is; a new module adds its line.
 */
class ModuleRegistrationTest {
    /** {@code name class check-mode [aliases]}, sorted by name. */
    private static final List<String> REGISTERED = List.of(
            "apt AptModule FULL [ansible.builtin.apt]",
            "assert AssertModule FULL [ansible.builtin.assert]",
            "blockinfile BlockinfileModule FULL [ansible.builtin.blockinfile]",
            "command CommandModule PARTIAL [ansible.builtin.command]",
            "copy CopyModule FULL [ansible.builtin.copy]",
            "cron CronModule FULL [ansible.builtin.cron]",
            "debug DebugModule FULL [ansible.builtin.debug]",
            "docker_compose DockerComposeModule PARTIAL [community.docker.docker_compose,"
                    + " community.docker.docker_compose_v2, docker_compose_v2]",
            "docker_image DockerImageModule PARTIAL [community.docker.docker_image]",
            "docker_login DockerLoginModule PARTIAL [community.docker.docker_login]",
            "fail FailModule FULL [ansible.builtin.fail]",
            "fetch FetchModule FULL [ansible.builtin.fetch]",
            "file FileModule FULL [ansible.builtin.file]",
            "find FindModule FULL [ansible.builtin.find]",
            "get_url GetUrlModule PARTIAL [ansible.builtin.get_url]",
            "lineinfile LineinfileModule FULL [ansible.builtin.lineinfile]",
            "pause PauseModule FULL [ansible.builtin.pause]",
            "ping PingModule FULL [ansible.builtin.ping]",
            "raw RawModule PARTIAL [ansible.builtin.raw]",
            "replace ReplaceModule FULL [ansible.builtin.replace]",
            "script ScriptModule PARTIAL [ansible.builtin.script]",
            "set_fact SetFactModule FULL [ansible.builtin.set_fact]",
            "shell ShellModule PARTIAL [ansible.builtin.shell]",
            "slurp SlurpModule FULL [ansible.builtin.slurp]",
            "stat StatModule FULL [ansible.builtin.stat]",
            "systemd SystemdModule FULL [ansible.builtin.service, ansible.builtin.systemd,"
                    + " ansible.builtin.systemd_service, service, systemd_service]",
            "tempfile TempfileModule NONE [ansible.builtin.tempfile]",
            "template TemplateModule FULL [ansible.builtin.template]",
            "unarchive UnarchiveModule FULL [ansible.builtin.unarchive]",
            "uri UriModule NONE [ansible.builtin.uri]",
            "user UserModule FULL [ansible.builtin.user]",
            "wait_for WaitForModule FULL [ansible.builtin.wait_for]",
            "wait_for_connection WaitForConnectionModule PARTIAL [ansible.builtin.wait_for_connection]");

    @Test
    void theServiceFileRegistersExactlyTheKnownModules() {
        // when
        List<String> found = new ArrayList<>();
        for (Module m : ServiceLoader.load(Module.class)) {
            found.add(m.name() + " " + m.getClass().getSimpleName() + " " + m.checkMode() + " "
                    + new TreeSet<>(m.aliases()));
        }
        found.sort(null);
        // then
        assertThat(found).containsExactlyElementsOf(REGISTERED);
    }

    @Test
    void everyNameAndAliasFindsItsModule() {
        // given
        ModuleRegistry registry = ModuleRegistry.load();
        // then
        assertThat(registry.names()).containsExactlyElementsOf(REGISTERED.stream().map(l -> l.split(" ", 2)[0])
                .toList());
        for (Module m : ServiceLoader.load(Module.class)) {
            assertThat(registry.find(m.name()).map(Module::name)).contains(m.name());
            for (String alias : m.aliases()) {
                assertThat(registry.find(alias).map(Module::name)).as(alias).contains(m.name());
            }
        }
    }
}
