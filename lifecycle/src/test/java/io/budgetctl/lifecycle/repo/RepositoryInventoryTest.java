package io.budgetctl.lifecycle.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.inventory.Inventory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryInventoryTest {
    final Inventory inv = RepositoryInventory.of(DeploymentsRepository.open(ExampleRepositoryTest.EXAMPLE));

    @Test
    void singleServerCustomersAreHostsAndMultiServerCustomersAreGroups() {
        // given / when
        List<String> hosts = inv.hostNames();

        // then
        assertThat(hosts).containsExactly("acme", "beta-app1", "beta-app2", "beta-jobs", "delta", "epsilon", "gamma",
                "north-star", "zeta");
        assertThat(inv.select("beta")).containsExactly("beta-app1", "beta-app2", "beta-jobs");
    }

    @Test
    void hostsAreGroupedByEnvironmentTagsAndTarget() {
        // given / when / then
        assertThat(inv.select("env_production")).containsExactlyInAnyOrder("acme", "gamma", "beta-app1", "beta-app2",
                "beta-jobs");
        assertThat(inv.select("region_eu:&ring_1")).containsExactlyInAnyOrder("acme", "gamma");
        assertThat(inv.select("ring_0")).containsExactlyInAnyOrder("delta", "epsilon", "zeta", "north-star");
        assertThat(inv.select("target_helm")).containsExactlyInAnyOrder("gamma", "north-star");
        assertThat(inv.groupNamesOf("beta-jobs")).containsExactly("beta", "env_production", "region_ru_central",
                "ring_2", "target_compose");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theClientVariableIsTheEnvironmentDefaultsDeepMergedWithTheClientFile() {
        // given
        Map<String, Object> vars = inv.hostVars("delta");

        // when
        Map<String, Object> client = (Map<String, Object>) vars.get("client");

        // then: version, limits and maintenance come from environments/pilot.yaml, the rest from clients/delta.yaml
        assertThat(client.get("version")).isEqualTo("v1.4.0");
        assertThat(client.get("limits")).isEqualTo(Map.of("users", 50, "cost_centres", 30));
        assertThat((Map<String, Object>) client.get("ssh")).containsEntry("user", "deploy").containsEntry("port", 22)
                .containsEntry("key", "sops:secrets/delta.sops.yaml#ssh_key");
        assertThat(client.get("modules")).isEqualTo(List.of("forecasting", "reporting", "integrations-1c"));
        assertThat((Map<String, Object>) client.get("tags")).containsEntry("region", "ru-central").containsEntry("ring", 0);
        // and a nested map from the defaults is merged key by key with the client's
        Map<String, Object> zeta = (Map<String, Object>) inv.hostVars("zeta").get("client");
        assertThat(zeta.get("limits")).isEqualTo(Map.of("users", 10, "cost_centres", 20));
    }

    @Test
    void sshAccessBecomesConnectionVariables() {
        // given / when
        Map<String, Object> beta = inv.hostVars("beta-app2");
        Map<String, Object> acme = inv.hostVars("acme");

        // then
        assertThat(beta).containsEntry("ansible_host", "10.20.0.12").containsEntry("ansible_port", 2222)
                .containsEntry("ansible_user", "deploy")
                .containsEntry("ansible_ssh_common_args", "-o ProxyJump=jump@jump.beta-retail.example:22")
                .containsEntry("client_id", "beta");
        assertThat(acme).containsEntry("ansible_host", "203.0.113.10").containsEntry("ansible_user", "itbm")
                .containsEntry("budgetctl_ssh_host_key",
                        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICHVk/qMBe3WhaOHMIGICSkejkZmiNZ7JX6J4PgQ14Wq")
                .doesNotContainKey("ansible_ssh_common_args");
        assertThat(inv.hostVars("gamma")).containsEntry("ansible_connection", "local");
    }

    @Test
    void anInvalidRepositoryGivesNoInventory(@TempDir Path tmp) {
        // given
        Path repo = Fixtures.copyBase(tmp);
        Fixtures.write(repo.resolve("clients/acme.yaml"), "id: acme\nname: x\n");

        // when / then
        assertThatThrownBy(() -> RepositoryInventory.of(DeploymentsRepository.open(repo)))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("missing required key");
    }
}
