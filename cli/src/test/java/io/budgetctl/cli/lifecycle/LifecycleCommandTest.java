package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
    void budgetctlHomeWinsOverTheCheckoutNextToTheRepository() throws IOException {
        // given
        playbook(tmp.resolve("home/playbooks"), "deploy");
        playbook(tmp.resolve("checkout/playbooks"), "deploy");
        Path repo = Files.createDirectories(tmp.resolve("checkout/inventory"));

        // when
        Path dir = LifecycleCommand.playbookDir(repo, Map.of("BUDGETCTL_HOME", tmp.resolve("home").toString()),
                null, "deploy");

        // then
        assertThat(dir).isEqualTo(tmp.resolve("home/playbooks"));
    }

    @Test
    void aRepositoryInsideTheCheckoutFindsThePlaybooksBesideIt() throws IOException {
        // given
        playbook(tmp.resolve("checkout/playbooks"), "status");
        Path repo = Files.createDirectories(tmp.resolve("checkout/inventory"));

        // when
        Path dir = LifecycleCommand.playbookDir(repo, Map.of(), null, "status");

        // then
        assertThat(dir).isEqualTo(tmp.resolve("checkout/playbooks"));
    }

    @Test
    void theJarInCliTargetFindsThePlaybooksOfItsCheckout() throws IOException {
        // given
        playbook(tmp.resolve("checkout/playbooks"), "rollback");
        Path jarDir = Files.createDirectories(tmp.resolve("checkout/cli/target"));
        Path repo = Files.createDirectories(tmp.resolve("elsewhere/repo"));

        // when
        Path dir = LifecycleCommand.playbookDir(repo, Map.of(), jarDir, "rollback");

        // then
        assertThat(dir).isEqualTo(tmp.resolve("checkout/playbooks"));
    }

    @Test
    void aMissingPlaybookNamesWhereItLookedAndHowToFixIt() throws IOException {
        // given
        Path repo = Files.createDirectories(tmp.resolve("repo"));

        // when / then
        assertThatThrownBy(() -> LifecycleCommand.playbookDir(repo, Map.of(), null, "deploy"))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("cannot find the playbook deploy.yml")
                .hasMessageContaining(repo.resolve("playbooks").toString());
    }
}
