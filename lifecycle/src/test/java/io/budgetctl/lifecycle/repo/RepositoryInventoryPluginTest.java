package io.budgetctl.lifecycle.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.exec.HostInventory;
import io.budgetctl.engine.run.EngineServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code budgetctl run -i <repository>}: the engine knows nothing of customers, so the repository reaches it through
 * the InventoryPlugin this module registers; anything else is still read as an Ansible inventory.
 */
class RepositoryInventoryPluginTest {
    @Test
    void theEngineReadsADeploymentsRepositoryGivenWithMinusIThroughThePlugin(@TempDir Path dir) {
        Path repo = Fixtures.copyBase(dir.resolve("repo"));

        HostInventory hosts = EngineServices.defaults().inventory().load(List.of(repo));

        assertThat(hosts.hostNames()).containsExactlyInAnyOrder("acme", "gamma");
        assertThat(new RepositoryInventoryPlugin().accepts(repo)).isTrue();
    }

    @Test
    void anAnsibleInventoryFileIsNotTakenByThePlugin(@TempDir Path dir) throws Exception {
        Path ini = Files.writeString(dir.resolve("hosts.yml"), "web:\n  hosts:\n    web1:\n      ansible_host: 127.0.0.1\n");

        HostInventory hosts = EngineServices.defaults().inventory().load(List.of(ini));

        assertThat(new RepositoryInventoryPlugin().accepts(ini)).isFalse();
        assertThat(hosts.hostNames()).containsExactly("web1");
    }
}
