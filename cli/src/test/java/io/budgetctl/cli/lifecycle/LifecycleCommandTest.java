package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleCommandTest {
    @TempDir
    Path tmp;

    private Path playbook(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(name + ".yml"), "- hosts: all\n  tasks: []\n");
    }

    @Test
    void onlyTheInstallationsPlaybooksRunNotTheRepositorysNorBudgetctlHome() throws IOException {
        // given: playbooks/ beside the jar (installed: lib/budgetctl.jar), and the repository's own playbooks/
        playbook(tmp.resolve("install/playbooks"), "deploy");
        Path jar = Files.createDirectories(tmp.resolve("install/lib")).resolve("budgetctl.jar");
        Files.writeString(jar, "jar");
        playbook(tmp.resolve("repo/playbooks"), "deploy");

        // when
        Path dir = LifecycleCommand.playbookDir(null, jar, "deploy");

        // then
        assertThat(dir).isEqualTo(tmp.resolve("install/playbooks"));
    }

    @Test
    void theJarInCliTargetFindsThePlaybooksOfItsCheckout() throws IOException {
        // given
        playbook(tmp.resolve("checkout/playbooks"), "rollback");
        Path jar = Files.createDirectories(tmp.resolve("checkout/cli/target")).resolve("budgetctl.jar");
        Files.writeString(jar, "jar");

        // when
        Path dir = LifecycleCommand.playbookDir(null, jar, "rollback");

        // then
        assertThat(dir).isEqualTo(tmp.resolve("checkout/playbooks"));
    }

    @Test
    void classesOfABuildFindThePlaybooksOfTheirCheckout() throws IOException {
        // given: what the tests themselves run from
        playbook(tmp.resolve("checkout/playbooks"), "status");
        Path classes = Files.createDirectories(tmp.resolve("checkout/cli/target/classes"));

        // when
        Path dir = LifecycleCommand.playbookDir(null, classes, "status");

        // then
        assertThat(dir).isEqualTo(tmp.resolve("checkout/playbooks"));
        assertThat(LifecycleCommand.playbookDir(null, LifecycleCommand.codeSource(), "deploy"))
                .isEqualTo(LifecycleRolesIT.repo().resolve("playbooks").toAbsolutePath().normalize());
    }

    @Test
    void aDevelopmentOverrideIsTheOnlyPlaceLookedAt() throws IOException {
        // given
        playbook(tmp.resolve("install/playbooks"), "deploy");
        Path jar = Files.createDirectories(tmp.resolve("install/lib")).resolve("budgetctl.jar");
        Files.writeString(jar, "jar");
        playbook(tmp.resolve("dev"), "deploy");

        // when / then
        assertThat(LifecycleCommand.playbookDir(tmp.resolve("dev"), jar, "deploy")).isEqualTo(tmp.resolve("dev"));
        assertThatThrownBy(() -> LifecycleCommand.playbookDir(tmp.resolve("dev"), jar, "rollback"))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("cannot find the playbook rollback.yml; looked in [" + tmp.resolve("dev") + "]")
                .hasFieldOrPropertyWithValue("hint", "--dev-playbooks (or BUDGETCTL_DEV_PLAYBOOKS) must name a"
                        + " directory that holds rollback.yml and roles/");
    }

    @Test
    void aMissingPlaybookNamesWhereItLookedAndHowToFixIt() throws IOException {
        // given
        Path jar = Files.createDirectories(tmp.resolve("install/lib")).resolve("budgetctl.jar");
        Files.writeString(jar, "jar");

        // when / then
        assertThatThrownBy(() -> LifecycleCommand.playbookDir(null, jar, "deploy"))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("cannot find the playbook deploy.yml")
                .hasMessageContaining(tmp.resolve("install/playbooks").toString());
    }
}
