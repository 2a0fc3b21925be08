package io.budgetctl.engine.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.connection.LocalConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our one-command facts against the real {@code ansible localhost -c local -m setup} on this machine. */
class FactsAnsibleIT {
    private static final List<String> SAME = List.of("ansible_os_family", "ansible_distribution",
            "ansible_distribution_version", "ansible_distribution_major_version", "ansible_distribution_release",
            "ansible_hostname", "ansible_nodename", "ansible_fqdn", "ansible_domain", "ansible_architecture",
            "ansible_machine", "ansible_processor_vcpus", "ansible_processor_count", "ansible_processor_cores",
            "ansible_processor_nproc", "ansible_processor_threads_per_core", "ansible_memtotal_mb",
            "ansible_system", "ansible_kernel", "ansible_kernel_version", "ansible_user_id", "ansible_user_uid",
            "ansible_user_gid", "ansible_user_dir", "ansible_user_shell", "ansible_pkg_mgr",
            "ansible_all_ipv4_addresses");
    private static final List<String> DEFAULT_IPV4 = List.of("address", "alias", "broadcast", "gateway",
            "interface", "netmask", "network", "prefix");

    @TempDir
    Path cwd;

    @Test
    void factsMatchAnsibleSetupModuleOnThisMachine() throws Exception {
        // given: ansible's facts, taken between two of ours that agree — Docker networks made by other tests can
        // add or remove addresses at any moment, so a window in which the machine changed is measured again
        ObjectMapper json = new ObjectMapper();
        JsonNode ansible = null;
        Map<String, Object> ours = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            // when
            Map<String, Object> before = Facts.gather(new LocalConnection("localhost"));
            ansible = AnsibleOneline.hosts(setup()).path("localhost").path("ansible_facts");
            ours = Facts.gather(new LocalConnection("localhost"));
            if (before.get("ansible_all_ipv4_addresses").equals(ours.get("ansible_all_ipv4_addresses"))) {
                break;
            }
        }

        // then
        for (String key : SAME) {
            assertThat((JsonNode) json.valueToTree(ours.get(key))).as(key).isEqualTo(ansible.get(key));
        }
        for (String key : DEFAULT_IPV4) {
            assertThat((JsonNode) json.valueToTree(((Map<?, ?>) ours.get("ansible_default_ipv4")).get(key)))
                    .as("ansible_default_ipv4." + key).isEqualTo(ansible.path("ansible_default_ipv4").get(key));
        }
        assertThat(((Map<?, ?>) ours.get("ansible_facts")).get("distribution"))
                .isEqualTo(ansible.get("ansible_distribution").asText());
    }

    private String setup() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("ansible", "localhost", "-c", "local", "-i", "localhost,", "-m",
                "setup").directory(cwd.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(AnsibleOneline.ENV);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
