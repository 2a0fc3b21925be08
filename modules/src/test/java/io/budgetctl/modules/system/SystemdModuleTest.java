package io.budgetctl.modules.system;

import static io.budgetctl.modules.ModuleTestSupport.args;
import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** systemctl commands as exact argv lists, and parsing of real `systemctl show` output from Debian 12's systemd. */
class SystemdModuleTest {

    @Test
    void parsesRealShowOutputOfARunningService() throws IOException {
        Map<String, String> s = SystemdModule.parseShow(resource("show-cron-active.txt"));
        assertThat(s).containsEntry("Id", "cron.service").containsEntry("LoadState", "loaded")
                .containsEntry("ActiveState", "active").containsEntry("SubState", "running")
                .containsEntry("UnitFileState", "enabled");
        assertThat(s.get("ExecStart")).startsWith("{ path=/usr/sbin/cron ;").endsWith("}");
        assertThat(s.size()).isGreaterThan(200);
    }

    @Test
    void parsesRealShowOutputOfAStoppedAndAMissingUnit() throws IOException {
        Map<String, String> stopped = SystemdModule.parseShow(resource("show-cron-inactive.txt"));
        Map<String, String> missing = SystemdModule.parseShow(resource("show-not-found.txt"));
        assertThat(stopped).containsEntry("ActiveState", "inactive").containsEntry("UnitFileState", "disabled");
        assertThat(missing).containsEntry("LoadState", "not-found")
                .containsEntry("LoadError", "org.freedesktop.systemd1.NoSuchUnit \"Unit no-such-unit.service not found.\"");
    }

    @Test
    void multiLineExecValuesAreKeptTogetherButABraceInADescriptionIsNot() {
        Map<String, String> s = SystemdModule.parseShow("""
                ExecStart={ path=/bin/a ;
                  argv[]=/bin/a -x }
                Description={weird
                Id=x.service
                """);
        assertThat(s).containsEntry("ExecStart", "{ path=/bin/a ;\n  argv[]=/bin/a -x }")
                .containsEntry("Description", "{weird").containsEntry("Id", "x.service");
    }

    @Test
    void actionsFollowAnsiblesRules() {
        assertThat(SystemdModule.action("started", "active")).isNull();
        assertThat(SystemdModule.action("started", "inactive")).isEqualTo("start");
        assertThat(SystemdModule.action("started", "activating")).isNull();
        assertThat(SystemdModule.action("stopped", "deactivating")).isEqualTo("stop");
        assertThat(SystemdModule.action("stopped", "failed")).isNull();
        assertThat(SystemdModule.action("restarted", "active")).isEqualTo("restart");
        assertThat(SystemdModule.action("reloaded", "inactive")).isEqualTo("start");
        assertThat(SystemdModule.action("reloaded", "active")).isEqualTo("reload");
    }

    @Test
    void isEnabledReadsRealSystemctlAnswers() {
        // exit codes and words as printed by systemctl is-enabled on Debian 12
        assertThat(SystemdModule.isEnabled(0, "enabled\n")).isTrue();
        assertThat(SystemdModule.isEnabled(0, "static\n")).isTrue();
        assertThat(SystemdModule.isEnabled(1, "disabled\n")).isFalse();
        assertThat(SystemdModule.isEnabled(0, "indirect\n")).isFalse();
    }

    @Test
    void commandsAreArgvListsWithTheUnitAfterDoubleDash() {
        assertThat(SystemdModule.systemctl("show", "--", "-evil.service"))
                .containsExactly("systemctl", "show", "--", "-evil.service");
    }

    @Test
    void serviceIsAnAliasOfSystemd() {
        assertThat(new SystemdModule().aliases()).contains("service", "ansible.builtin.service");
    }

    @Test
    void theInitCheckFollowsThisMachinesRealInit() {
        // given: whether systemd runs here, by the same sign sd_booted() reads (CI and this project's machines are
        // containers without it; a developer's laptop has it): the test runs on both and checks the matching side
        boolean systemdBooted = Files.isDirectory(Path.of("/run/systemd/system"));
        // when: a unit that exists nowhere, so that on a systemd machine nothing is started
        Result r = new SystemdModule().run(ModuleTestSupport.local(),
                args("name", "budgetctl-no-such-unit", "state", "started"));
        // then
        assertThat(r).isInstanceOf(Result.Failed.class);
        if (systemdBooted) {
            assertThat(r.msg()).startsWith("Could not find the requested service budgetctl-no-such-unit");
        } else {
            assertThat(r.msg()).startsWith("systemd is not running on localhost (PID 1 is '")
                    .contains("cannot be managed with systemctl");
        }
    }

    @Test
    void argumentsAreCheckedBeforeTouchingTheHost() {
        assertThat(new SystemdModule().run(ModuleTestSupport.local(), args("name", "cron")).msg())
                .isEqualTo("one of the following is required: state, enabled, daemon_reload");
        assertThat(new SystemdModule().run(ModuleTestSupport.local(), args("name", "web*", "state", "started"))
                .msg()).startsWith("This module does not currently support using glob patterns");
        assertThat(new SystemdModule().run(ModuleTestSupport.local(), args("enabled", true)).msg())
                .contains("name");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SystemdModuleTest.class.getResourceAsStream("/systemd/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
