package io.budgetctl.cli.lifecycle;

import io.budgetctl.engine.ssh.CustomerHostsExtension;
import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.HostStats;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.run.Engine;
import io.budgetctl.engine.run.RunRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lifecycle roles run by the engine over SSH against simulated customer servers: {@code cust} has its own
 * dockerd and Compose v1, {@code bare} is a clean Debian without Docker (for docker-install).
 */
class LifecycleRolesIT {
    @RegisterExtension
    static final CustomerHostsExtension HOSTS = new CustomerHostsExtension(List.of("cust"), List.of("bare"));
    static final String BASE = "budgetctl/debian-base:bookworm";

    /** What a run reported: exit code, per-host recap, and every host result. */
    record Run(int exitCode, Map<String, HostStats> recap, List<HostResultEvent> results) {
        /** The last value a host's set_fact gave to {@code fact}. */
        @SuppressWarnings("unchecked")
        Object fact(String host, String fact) {
            Object v = null;
            for (HostResultEvent e : results) {
                if (e.host().equals(host) && e.data().get("ansible_facts") instanceof Map<?, ?> f
                        && f.containsKey(fact)) {
                    v = ((Map<String, Object>) f).get(fact);
                }
            }
            return v;
        }

        String failure(String host) {
            return results.stream().filter(e -> e.host().equals(host) && e.status().name().equals("FAILED"))
                    .map(HostResultEvent::msg).reduce((a, b) -> b).orElse(null);
        }
    }

    static Path repo() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("playbooks")) && Files.isDirectory(d.resolve("roles"))) {
                return d;
            }
        }
        throw new IllegalStateException("playbooks/ not found above " + Path.of("").toAbsolutePath());
    }

    static Run run(String playbook, String limit, String... extraVars) {
        List<HostResultEvent> results = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, HostStats> recap = new ConcurrentHashMap<>();
        RunListener l = new RunListener() {
            @Override
            public void hostResult(HostResultEvent r) {
                results.add(r);
            }

            @Override
            public void recap(Map<String, HostStats> stats) {
                recap.putAll(stats);
            }
        };
        RunRequest req = RunRequest.builder().playbook(repo().resolve("playbooks").resolve(playbook))
                .inventory(HOSTS.inventory()).limit(limit).extraVars(List.of(extraVars)).build();
        int code = Engine.run(req, List.of(l));
        return new Run(code, recap, List.copyOf(results));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> row(Run r, String host, String check) {
        List<Map<String, Object>> rows = (List<Map<String, Object>>) r.fact(host, "preflight_results");
        assertThat(rows).as("preflight_results of %s", host).isNotNull();
        return rows.stream().filter(m -> check.equals(m.get("check"))).findFirst()
                .orElseThrow(() -> new AssertionError("no row '" + check + "' in " + rows));
    }

    String innerDocker(String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("exec", HOSTS.host("cust").container(), "docker"));
        a.addAll(List.of(args));
        return HOSTS.docker(a.toArray(String[]::new)).strip();
    }

    @Test
    void preflightPassesWarnsAndFailsByTheHostsRealState() throws Exception {
        // given: the engine version as the host's own docker reports it, and a CPU minimum this host cannot meet
        String engine = innerDocker("version", "--format", "{{.Server.Version}}");
        // when
        Run r = run("prepare.yml", "cust", "client=acme", "preflight_cpu_min=64");
        // then
        assertThat(row(r, "cust", "Docker engine")).containsEntry("status", "pass").containsEntry("value", engine);
        assertThat(row(r, "cust", "Docker Compose")).containsEntry("status", "warn")
                .containsEntry("value", "v1 1.29.2");
        assertThat(row(r, "cust", "CPU cores")).containsEntry("status", "fail");
        assertThat((String) row(r, "cust", "CPU cores").get("hint")).startsWith("give the server more vCPUs");
        assertThat(row(r, "cust", "port 80")).containsEntry("status", "pass").containsEntry("value", "free");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.failure("cust")).startsWith("preflight: 1 check(s) failed");
        assertThat(((Map<?, ?>) r.fact("cust", "preflight_summary")).get("fail")).hasToString("1");
    }

    @Test
    void aPortHeldByAnotherContainerFailsButOurIngressPasses() throws Exception {
        // given: something else on port 80, our ingress (Compose project itbm-acme) on port 443
        HOSTS.load("cust", BASE);
        innerDocker("run", "-d", "--name", "squatter", "-p", "80:8080", BASE, "sleep", "600");
        innerDocker("run", "-d", "--name", "itbm-acme-ingress", "--label", "com.docker.compose.project=itbm-acme",
                "-p", "443:8443", BASE, "sleep", "600");
        try {
            // when
            Run r = run("prepare.yml", "cust", "client=acme");
            // then
            assertThat(row(r, "cust", "port 80")).containsEntry("status", "fail")
                    .containsEntry("value", "in use by container squatter");
            assertThat(row(r, "cust", "port 443")).containsEntry("status", "pass")
                    .containsEntry("value", "held by our ingress (itbm-acme-ingress)");
        } finally {
            innerDocker("rm", "-f", "squatter", "itbm-acme-ingress");
        }
    }

    @Test
    void dockerInstallOnACleanHostInstallsOnceAndTheSecondRunChangesNothing() {
        // given: a clean Debian where preflight fails for lack of Docker
        Run before = run("prepare.yml", "bare", "client=acme");
        assertThat(row(before, "bare", "Docker engine")).containsEntry("status", "fail")
                .containsEntry("value", "not installed");
        // when
        Run first = run("prepare.yml", "bare", "client=acme", "install_docker=true");
        Run second = run("prepare.yml", "bare", "client=acme", "install_docker=true");
        // then
        assertThat(first.recap().get("bare").changed()).isPositive();
        assertThat(first.recap().get("bare").failed()).isZero();
        assertThat(second.recap().get("bare").changed()).isZero();
        assertThat(second.exitCode()).isZero();
        assertThat(row(second, "bare", "Docker engine")).containsEntry("status", "pass");
        assertThat(row(second, "bare", "Docker Compose")).containsEntry("status", "warn");
    }

    @Test
    void aSecondAcquireIsRefusedWhileTheFirstHolderLives() {
        // given
        Run first = run("lock.yml", "cust", "client=lockt", "action=acquire", "version=v1.4.0");
        // when
        Run second = run("lock.yml", "cust", "client=lockt", "action=acquire", "version=v1.4.1");
        Run status = run("lock.yml", "cust", "client=lockt", "action=status");
        // then
        assertThat(first.exitCode()).isZero();
        assertThat(first.recap().get("cust").changed()).isPositive();
        assertThat(second.exitCode()).isNotZero();
        assertThat(second.failure("cust")).startsWith("the deploy lock of lockt is held by ")
                .contains("for version v1.4.0").endsWith("Wait for that deploy to finish; see budgetctl lock status "
                        + "--client lockt");
        assertThat((Map<String, Object>) status.fact("cust", "deploy_lock_status")).containsEntry("held", true)
                .containsEntry("stale", false);
        // and a live lock that is not ours is released only with force
        assertThat(run("lock.yml", "cust", "client=lockt", "action=release").exitCode()).isNotZero();
        assertThat(run("lock.yml", "cust", "client=lockt", "action=release", "force=true").exitCode()).isZero();
        assertThat((Map<String, Object>) run("lock.yml", "cust", "client=lockt", "action=status")
                .fact("cust", "deploy_lock_status")).containsEntry("held", false);
    }

    @Test
    void anExpiredLockIsRecognisedAsStale() throws Exception {
        // given: a lock that expires one second after it is taken
        assertThat(run("lock.yml", "cust", "client=stale1", "action=acquire", "deploy_lock_ttl=1").exitCode()).isZero();
        Thread.sleep(2100);
        // when
        Run again = run("lock.yml", "cust", "client=stale1", "action=acquire");
        // then
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.failure("cust")).contains("It is STALE (expired at ")
                .endsWith("check that no deploy is running, then run: budgetctl lock release --client stale1");
        // a stale lock is released without force
        assertThat(run("lock.yml", "cust", "client=stale1", "action=release").exitCode()).isZero();
    }

    @Test
    void aLockWhoseHolderProcessDiedIsRecognisedAsStale() throws Exception {
        // given: a lock left by a process of this machine that no longer exists, not yet expired
        String controller = new String(new ProcessBuilder("hostname").start().getInputStream().readAllBytes()).strip();
        long now = System.currentTimeMillis() / 1000;
        String details = "{\"holder\": \"ci@" + controller + "\", \"controller\": \"" + controller + "\", "
                + "\"pid\": 4194301, \"version\": \"v1.4.0\", \"token\": \"t\", \"acquired_at\": " + now
                + ", \"expires_at\": " + (now + 3600) + ", \"acquired_utc\": \"x\", \"expires_utc\": \"y\"}";
        HOSTS.docker("exec", HOSTS.host("cust").container(), "sh", "-c", "mkdir -p /opt/itbm/dead1/lock && printf '%s' '"
                + details + "' > /opt/itbm/dead1/lock/details.json && chown -R deploy /opt/itbm/dead1");
        // when
        Run status = run("lock.yml", "cust", "client=dead1", "action=status");
        // then
        @SuppressWarnings("unchecked")
        Map<String, Object> st = (Map<String, Object>) status.fact("cust", "deploy_lock_status");
        assertThat(st).containsEntry("held", true).containsEntry("stale", true)
                .containsEntry("stale_reasons", List.of("holder process 4194301 on " + controller + " is gone"));
    }

    @Test
    void theLockAppearsWithItsDetailsAndAnEmptyLockDirectoryIsNotTakenOver() throws Exception {
        // given: an empty lock/ directory, as a budgetctl that created the lock before writing its details left it
        HOSTS.docker("exec", HOSTS.host("cust").container(), "sh", "-c",
                "mkdir -p /opt/itbm/atomic1/lock && chown -R deploy /opt/itbm/atomic1");
        // when
        Run refused = run("lock.yml", "cust", "client=atomic1", "action=acquire", "version=v1.4.0");
        Run released = run("lock.yml", "cust", "client=atomic1", "action=release");
        Run taken = run("lock.yml", "cust", "client=atomic1", "action=acquire", "version=v1.4.1");
        // then: held (and stale: no details), released without force, then taken with its details in place
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.failure("cust")).startsWith("the deploy lock of atomic1 is held by ?").contains("STALE");
        assertThat(released.exitCode()).isZero();
        assertThat(taken.exitCode()).isZero();
        assertThat(HOSTS.docker("exec", HOSTS.host("cust").container(), "sh", "-c",
                "cat /opt/itbm/atomic1/lock/details.json; ls -a /opt/itbm/atomic1")).contains("v1.4.1", "holder")
                .doesNotContain("lock.");
    }
}
