package io.budgetctl.modules;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.Module;
import io.budgetctl.engine.module.ModuleRegistry;
import org.junit.jupiter.api.Test;

class CommandModulesRegistrationTest {

    @Test
    void everyModuleIsFoundThroughTheServiceFileByNameAndAlias() {
        // when
        ModuleRegistry registry = ModuleRegistry.load();
        // then
        assertThat(registry.names()).contains("command", "shell", "debug", "set_fact", "assert", "fail",
                "wait_for", "uri", "apt", "systemd", "pause", "ping");
        assertThat(registry.find("service").map(Module::name)).contains("systemd");
        assertThat(registry.find("ansible.builtin.command").map(Module::name)).contains("command");
    }

    @Test
    void checkModeSupportIsDeclaredAsDocumented() {
        ModuleRegistry r = ModuleRegistry.load();
        assertThat(r.find("command").orElseThrow().checkMode()).isEqualTo(Module.CheckMode.PARTIAL);
        assertThat(r.find("shell").orElseThrow().checkMode()).isEqualTo(Module.CheckMode.PARTIAL);
        assertThat(r.find("uri").orElseThrow().checkMode()).isEqualTo(Module.CheckMode.NONE);
        assertThat(r.find("apt").orElseThrow().checkMode()).isEqualTo(Module.CheckMode.FULL);
        assertThat(r.find("systemd").orElseThrow().checkMode()).isEqualTo(Module.CheckMode.FULL);
    }
}
