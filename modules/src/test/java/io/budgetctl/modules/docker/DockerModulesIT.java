package io.budgetctl.modules.docker;

import io.budgetctl.engine.ssh.CustomerHostsExtension;
import static io.budgetctl.modules.ModuleTestSupport.args;
import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.engine.module.SimpleModuleContext;
import io.budgetctl.engine.ssh.SshConnectionFactory;
import io.budgetctl.modules.ModuleTestSupport;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The docker modules over real SSH against a simulated customer server with its own dockerd and Compose v1. The
 * project runs our Debian base image with {@code sleep} (no image can be pulled here).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerModulesIT {
    @RegisterExtension
    static final CustomerHostsExtension HOSTS = new CustomerHostsExtension("dm1");
    static final String BASE = "budgetctl/debian-base:bookworm";
    static final String PROJECT = "/home/deploy/demo";

    static SshConnectionFactory factory;
    static Connection conn;

    @BeforeAll
    static void connect() {
        factory = new SshConnectionFactory();
        conn = factory.open("dm1", HOSTS.vars("dm1"));
    }

    @AfterAll
    static void close() {
        if (factory != null) {
            factory.close();
        }
    }

    static ModuleContext ctx(boolean check) {
        return new SimpleModuleContext("dm1", conn, check, false, null, null, new HashMap<>(),
                new io.budgetctl.engine.template.JinjavaTemplater(), ModuleTestSupport.LOC, List.of());
    }

    static String sh(String script) {
        return conn.exec(ExecRequest.shell(script)).stdout();
    }

    static void writeProject(String command, String healthTest) {
        conn.exec(ExecRequest.of("mkdir", "-p", PROJECT));
        String yaml = "version: '3.7'\nservices:\n  app:\n    image: " + BASE + "\n    command: " + command + "\n"
                + "    healthcheck:\n      test: [\"CMD-SHELL\", \"" + healthTest + "\"]\n      interval: 1s\n"
                + "      retries: 2\n    environment:\n      GREETING: ${GREETING}\n";
        conn.write(PROJECT + "/docker-compose.yml", yaml.getBytes(StandardCharsets.UTF_8), "0644", null, null, null);
        conn.write(PROJECT + "/.env", "GREETING=hello\n".getBytes(StandardCharsets.UTF_8), "0600", null, null, null);
    }

    @Test
    @Order(1)
    void loadingAnImageFromATarOnTheHostChangesOnceThenIsOk() throws Exception {
        // given: a docker save tar of our base image on the host, and an engine that does not have the image
        java.nio.file.Path tar = java.nio.file.Files.createTempFile("budgetctl-dm-base", ".tar");
        HOSTS.docker("save", "-o", tar.toString(), BASE);
        java.nio.file.Files.setPosixFilePermissions(tar, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        // (not /tmp: that is a tmpfs in the host, and docker cp writes beneath it)
        HOSTS.docker("cp", tar.toString(), HOSTS.host("dm1").container() + ":/var/tmp/base.tar");
        java.nio.file.Files.delete(tar);
        assertThat(conn.exec(ExecRequest.of("docker", "image", "inspect", BASE)).ok()).isFalse();
        Map<String, Object> a = args("name", "budgetctl/debian-base", "tag", "bookworm", "source", "load",
                "load_path", "/var/tmp/base.tar");
        // when
        Result check = new DockerImageModule().run(ctx(true), a);
        Result first = new DockerImageModule().run(ctx(false), a);
        Result second = new DockerImageModule().run(ctx(false), a);
        // then
        assertThat(check).isInstanceOf(Result.Changed.class);
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat((String) first.data().get("id")).startsWith("sha256:");
        assertThat(second).isInstanceOf(Result.Ok.class);
        assertThat(sh("docker image inspect --format '{{.Id}}' " + BASE).strip()).isEqualTo(first.data().get("id"));
    }

    @Test
    @Order(2)
    void pullingFromARegistryTheHostCannotReachFailsWithDockersReason() {
        Result r = new DockerImageModule().run(ctx(false), args("name", "127.0.0.1:1/nothing", "tag", "v1"));
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).startsWith("docker pull of 127.0.0.1:1/nothing:v1 failed: ").contains("connection refused");
    }

    @Test
    @Order(3)
    void composeUpWaitsForHealthyAndASecondRunChangesNothing() {
        // given
        writeProject("sleep infinity", "test -n \\\"$$GREETING\\\"");
        Map<String, Object> a = args("project_src", PROJECT, "project_name", "demo", "wait", true,
                "wait_timeout", 60);
        // when
        Result up = new DockerComposeModule().run(ctx(false), a);
        Result again = new DockerComposeModule().run(ctx(false), a);
        // then
        assertThat(up).as("%s %s", up.msg(), up.data()).isInstanceOf(Result.Changed.class);
        assertThat(up.data().get("compose")).isEqualTo("docker-compose");
        assertThat(again).as("%s", again.data()).isInstanceOf(Result.Ok.class);
        assertThat(sh("docker inspect --format '{{.State.Health.Status}}' demo_app_1").strip()).isEqualTo("healthy");
        assertThat(sh("docker exec demo_app_1 printenv GREETING").strip()).isEqualTo("hello");
    }

    @Test
    @Order(4)
    void checkModePredictsARecreateFromTheConfigHashAndTouchesNothing() {
        // given: the running project, and a changed command in its compose file
        String idBefore = sh("docker ps -q --no-trunc --filter name=demo_app_1").strip();
        writeProject("sleep 86400", "true");
        // when
        Result r = new DockerComposeModule().run(ctx(true), args("project_src", PROJECT, "project_name", "demo"));
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(r.data().get("would_change")).isEqualTo(List.of("app"));
        assertThat(sh("docker ps -q --no-trunc --filter name=demo_app_1").strip()).isEqualTo(idBefore);
        // and for real: the container is recreated
        Result real = new DockerComposeModule().run(ctx(false), args("project_src", PROJECT, "project_name", "demo"));
        assertThat(real).isInstanceOf(Result.Changed.class);
        assertThat(sh("docker ps -q --no-trunc --filter name=demo_app_1").strip()).isNotEqualTo(idBefore).isNotEmpty();
        assertThat(new DockerComposeModule().run(ctx(true), args("project_src", PROJECT, "project_name", "demo")))
                .isInstanceOf(Result.Ok.class);
    }

    @Test
    @Order(5)
    void anUnhealthyServiceFailsTheWaitWithItsName() {
        // given
        writeProject("sleep infinity", "false");
        // when
        Result r = new DockerComposeModule().run(ctx(false), args("project_src", PROJECT, "project_name", "demo",
                "wait", true, "wait_timeout", 30));
        // then
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).isEqualTo("not healthy: demo_app_1 (unhealthy); see 'docker logs' of these containers");
    }

    @Test
    @Order(6)
    void composeDownRemovesTheContainersAndThenIsOk() {
        Map<String, Object> a = args("project_src", PROJECT, "project_name", "demo", "state", "absent");
        Result check = new DockerComposeModule().run(ctx(true), a);
        assertThat(sh("docker ps -aq --filter label=com.docker.compose.project=demo")).isNotBlank();
        Result down = new DockerComposeModule().run(ctx(false), a);
        Result again = new DockerComposeModule().run(ctx(false), a);
        assertThat(check).isInstanceOf(Result.Changed.class);
        assertThat(down).isInstanceOf(Result.Changed.class);
        assertThat(again).isInstanceOf(Result.Ok.class);
        assertThat(sh("docker ps -aq --filter label=com.docker.compose.project=demo")).isBlank();
    }

    @Test
    @Order(7)
    void aMissingProjectDirectoryFailsWithAHint() {
        Result r = new DockerComposeModule().run(ctx(false), args("project_src", "/nope/x"));
        assertThat(r.msg()).isEqualTo("project_src /nope/x is not a directory on the host; render the project "
                + "there first (template/copy)");
    }

    @Test
    @Order(8)
    void aFailedLoginNamesTheCauseAndNeverShowsThePassword() {
        // given: a registry address nothing listens on
        String password = "s3cret-Pw-4711";
        // when
        Result r = new DockerLoginModule().run(ctx(false), args("registry", "127.0.0.1:1", "username", "acme",
                "password", Secret.of(password)));
        // then
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).startsWith("docker login to 127.0.0.1:1 as acme failed: ")
                .endsWith("(the registry is not reachable from this host)");
        assertThat(r.msg() + r.data()).doesNotContain(password);
        assertThat(sh("cat ~/.docker/config.json 2>/dev/null || true")).doesNotContain("127.0.0.1:1");
    }
}
