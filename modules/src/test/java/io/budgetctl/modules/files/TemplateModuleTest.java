package io.budgetctl.modules.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateModuleTest {
    @TempDir
    Path dir;

    @BeforeEach
    void writeTemplate() throws Exception {
        Files.createDirectories(dir.resolve("role/templates"));
        Files.writeString(dir.resolve("role/templates/app.env.j2"), """
                # {{ ansible_managed }}
                {% for s in services %}{{ s | upper }}_PORT={{ base_port + loop.index }}
                {% endfor %}""");
    }

    private FileModuleTestKit kit(int basePort) {
        return new FileModuleTestKit(new TemplateModule(), dir.resolve("role"))
                .vars(Map.of("services", List.of("api", "web"), "base_port", basePort));
    }

    @Test
    void rendersWithTaskVariablesThenIsIdempotent() throws Exception {
        // given
        Path dest = dir.resolve("app.env");
        // when
        Result first = kit(8000).run("src", "app.env.j2", "dest", dest.toString(), "mode", "0600");
        Result second = kit(8000).run("src", "app.env.j2", "dest", dest.toString(), "mode", "0600");
        // then
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(FileModuleTestKit.read(dest)).isEqualTo("# Ansible managed\nAPI_PORT=8001\nWEB_PORT=8002\n");
        assertThat(FileModuleTestKit.mode(dest)).isEqualTo("0600");
        assertThat(second).isInstanceOf(Result.Ok.class);
    }

    @Test
    void changedVariablesShowAsDiffAndCheckModeKeepsTheFile() throws Exception {
        // given
        Path dest = dir.resolve("app.env");
        kit(8000).run("src", "app.env.j2", "dest", dest.toString());
        // when
        Result r = kit(9000).check("src", "app.env.j2", "dest", dest.toString());
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(r.diffs()).singleElement().satisfies(d -> {
            assertThat(d.before()).contains("API_PORT=8001");
            assertThat(d.after()).contains("API_PORT=9001");
        });
        assertThat(FileModuleTestKit.read(dest)).contains("API_PORT=8001");
    }

    @Test
    void missingTemplateFails() {
        Result r = kit(1).run("src", "nope.j2", "dest", dir.resolve("x").toString());
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).startsWith("Could not find or access 'nope.j2'");
    }

    @Test
    void undefinedVariableFailsTheTaskAndWritesNothing() throws Exception {
        // given
        Files.writeString(dir.resolve("role/templates/bad.j2"), "x={{ not_defined_anywhere }}\n");
        // when
        Result r = kit(1).run("src", "bad.j2", "dest", dir.resolve("bad").toString());
        // then
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).contains("not_defined_anywhere");
        assertThat(dir.resolve("bad")).doesNotExist();
    }

    @Test
    void backupAndValidateWorkAsForCopy() throws Exception {
        // given
        Path dest = dir.resolve("app.env");
        Files.writeString(dest, "old\n");
        // when
        Result r = kit(1).run("src", "app.env.j2", "dest", dest.toString(), "backup", "yes",
                "validate", "grep -q API_PORT=2 %s");
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(FileModuleTestKit.read(Path.of((String) r.data().get("backup_file")))).isEqualTo("old\n");
        assertThat(FileModuleTestKit.read(dest)).contains("API_PORT=2");
    }
}
