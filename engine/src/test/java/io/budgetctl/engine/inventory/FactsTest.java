package io.budgetctl.engine.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.connection.LocalConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FactsTest {

    @Test
    void gathersFactsOnThisMachineWithOneShellCommand() throws Exception {
        // when
        Map<String, Object> facts = Facts.gather(new LocalConnection("localhost"));

        // then: compare with what the JVM and the kernel say independently
        assertThat(facts.get("ansible_system")).isEqualTo("Linux");
        assertThat(facts.get("ansible_user_id")).isEqualTo(System.getProperty("user.name"));
        assertThat(facts.get("ansible_kernel")).isEqualTo(System.getProperty("os.version"));
        assertThat(facts.get("ansible_nodename"))
                .isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip());
        assertThat(facts.get("ansible_processor_nproc")).isInstanceOf(Integer.class);
        assertThat((Integer) facts.get("ansible_memtotal_mb")).isPositive();
        assertThat(facts.get("ansible_user_uid")).isInstanceOf(Integer.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = (Map<String, Object>) facts.get("ansible_facts");
        assertThat(inner.get("system")).isEqualTo("Linux");
        assertThat(inner.keySet()).allMatch(k -> !k.startsWith("ansible_"));
    }

    @Test
    void ubuntuOutputWithoutIpToolGivesDistributionAndEmptyDefaultRoute() {
        // given: what the script prints on an Ubuntu host without iproute2
        String out = String.join("\n", "os_id=ubuntu", "os_id_like=debian", "os_version_id=22.04",
                "os_codename=jammy", "debian_version=bookworm/sid", "system=Linux", "kernel=5.15.0-91-generic",
                "machine=aarch64", "nodename=app1.customer.example", "fqdn_names=app1.customer.example app1",
                "cpu_processors=4", "cpu_sockets=0", "cpu_cores=", "cpu_siblings=", "memtotal_kb=8039300",
                "user_id=deploy", "user_uid=1000", "user_gid=1000",
                "passwd=deploy:x:1000:1000:Deploy:/home/deploy:/bin/bash", "pkg=apt-get", "");

        // when
        Map<String, Object> f = Facts.fromOutput(out, "app1");

        // then
        assertThat(f).containsEntry("ansible_distribution", "Ubuntu").containsEntry("ansible_os_family", "Debian")
                .containsEntry("ansible_distribution_version", "22.04")
                .containsEntry("ansible_distribution_major_version", "22")
                .containsEntry("ansible_distribution_release", "jammy")
                .containsEntry("ansible_hostname", "app1").containsEntry("ansible_fqdn", "app1.customer.example")
                .containsEntry("ansible_domain", "customer.example").containsEntry("ansible_architecture", "aarch64")
                .containsEntry("ansible_processor_vcpus", 4).containsEntry("ansible_processor_count", 4)
                .containsEntry("ansible_memtotal_mb", 7850).containsEntry("ansible_user_dir", "/home/deploy")
                .containsEntry("ansible_pkg_mgr", "apt").containsEntry("ansible_default_ipv4", Map.of())
                .containsEntry("ansible_all_ipv4_addresses", List.of());
    }

    @Test
    void defaultRouteGivesAddressGatewayAndNetwork() {
        // given
        String out = String.join("\n", "route=8.8.8.8 via 10.1.2.1 dev ens3 src 10.1.2.30 uid 0",
                "addr=lo 127.0.0.1/8 scope host lo", "addr=ens3 10.1.2.30/23 brd 10.1.3.255 scope global ens3", "");

        // when
        @SuppressWarnings("unchecked")
        Map<String, Object> def = (Map<String, Object>) Facts.fromOutput(out, "h").get("ansible_default_ipv4");

        // then
        assertThat(def).containsEntry("address", "10.1.2.30").containsEntry("gateway", "10.1.2.1")
                .containsEntry("interface", "ens3").containsEntry("netmask", "255.255.254.0")
                .containsEntry("network", "10.1.2.0").containsEntry("prefix", "23")
                .containsEntry("broadcast", "10.1.3.255");
    }
}
