package io.budgetctl.modules.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.module.Module;
import io.budgetctl.engine.module.ModuleRegistry;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.docker.DockerComposeModule.Health;
import io.budgetctl.modules.docker.DockerComposeModule.Project;
import io.budgetctl.modules.docker.DockerSupport.ContainerRow;
import io.budgetctl.modules.ModuleTestSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every remote command of the docker modules as an exact argv list, and the parsers of docker's output. */
class DockerModulesTest {
    private static final Project P = new Project("/opt/itbm/acme/current", "itbm-acme",
            List.of("compose.yaml", "compose.override.yaml"), ".env");

    @Test
    void composeV2UpPassesProjectFilesAndEnvFileBeforeTheSubcommand() {
        assertThat(DockerComposeModule.upArgv(DockerSupport.COMPOSE_V2, P, true)).containsExactly(
                "docker", "compose", "-p", "itbm-acme", "-f", "compose.yaml", "-f", "compose.override.yaml",
                "--env-file", ".env", "up", "-d", "--remove-orphans");
    }

    @Test
    void composeV1UsesTheSameArgumentsAfterDockerCompose() {
        Project bare = new Project("/srv/x", "x", List.of(), null);
        assertThat(DockerComposeModule.upArgv(DockerSupport.COMPOSE_V1, bare, false))
                .containsExactly("docker-compose", "-p", "x", "up", "-d");
        assertThat(DockerComposeModule.pullArgv(DockerSupport.COMPOSE_V1, bare))
                .containsExactly("docker-compose", "-p", "x", "pull", "--quiet");
    }

    @Test
    void composeDownAddsOrphansAndVolumesOnlyWhenAsked() {
        Project bare = new Project("/srv/x", "x", List.of(), null);
        assertThat(DockerComposeModule.downArgv(DockerSupport.COMPOSE_V2, bare, false, false))
                .containsExactly("docker", "compose", "-p", "x", "down");
        assertThat(DockerComposeModule.downArgv(DockerSupport.COMPOSE_V2, bare, true, true))
                .containsExactly("docker", "compose", "-p", "x", "down", "--remove-orphans", "--volumes");
    }

    @Test
    void checkModeAsksComposeForTheConfigHashOfEveryService() {
        assertThat(DockerComposeModule.hashArgv(DockerSupport.COMPOSE_V1, new Project("/s", "s", List.of(), null)))
                .containsExactly("docker-compose", "-p", "s", "config", "--hash", "*");
    }

    @Test
    void theProjectsContainersAreListedByComposeLabel() {
        assertThat(DockerSupport.psArgv("itbm-acme")).containsExactly("docker", "ps", "-a", "--no-trunc",
                "--filter", "label=com.docker.compose.project=itbm-acme", "--format",
                "{{.ID}}\t{{.Label \"com.docker.compose.service\"}}\t{{.Label \"com.docker.compose.config-hash\"}}"
                        + "\t{{.State}}");
        assertThat(DockerComposeModule.inspectArgv(List.of("a1", "b2"))).containsExactly("docker", "inspect",
                "--format", "{{.Name}}\t{{.State.Status}}\t{{if .State.Health}}{{.State.Health.Status}}{{end}}",
                "a1", "b2");
        assertThat(DockerSupport.versionArgv(DockerSupport.COMPOSE_V2))
                .containsExactly("docker", "compose", "version", "--short");
    }

    @Test
    void theDefaultProjectNameIsTheDirectoryNameInLowerCaseWithoutOddCharacters() {
        assertThat(DockerSupport.defaultProjectName("/opt/itbm/Acme.Corp/current/")).isEqualTo("current");
        assertThat(DockerSupport.defaultProjectName("/srv/My.App_2-x")).isEqualTo("myapp_2-x");
        assertThat(DockerSupport.defaultProjectName("/srv/...")).isEqualTo("default");
    }

    @Test
    void psRowsAreParsedAndSortedSoThatBeforeAndAfterCompareByValue() {
        // given
        String out = "bbb\tweb\th2\trunning\naaa\tdb\th1\texited\n";
        // when
        List<ContainerRow> rows = DockerSupport.parsePs(out);
        // then
        assertThat(rows).containsExactly(new ContainerRow("aaa", "db", "h1", "exited"),
                new ContainerRow("bbb", "web", "h2", "running"));
        assertThat(rows).isEqualTo(DockerSupport.parsePs("aaa\tdb\th1\texited\nbbb\tweb\th2\trunning\n"));
    }

    @Test
    void aServiceWouldChangeWhenNoRunningContainerCarriesItsCurrentConfigHash() {
        // given
        Map<String, String> hashes = DockerComposeModule.parseHashes("web 111\ndb 222\nworker 333\n");
        List<ContainerRow> rows = List.of(new ContainerRow("1", "web", "111", "running"),
                new ContainerRow("2", "db", "old", "running"),
                new ContainerRow("3", "worker", "333", "exited"));
        // when / then
        assertThat(DockerComposeModule.servicesToChange(hashes, rows)).containsExactly("db", "worker");
        assertThat(DockerComposeModule.servicesToChange(Map.of("web", "111"), rows)).isEmpty();
    }

    @Test
    void inspectLinesGiveNameStatusAndHealth() {
        assertThat(DockerComposeModule.parseInspect("/p-web-1\trunning\thealthy\n/p-db-1\trunning\t\n"))
                .containsExactly(new Health("p-web-1", "running", "healthy"), new Health("p-db-1", "running", ""));
    }

    @Test
    void loginSendsThePasswordOnStdinSoTheArgvNeverHoldsIt() {
        assertThat(DockerLoginModule.loginArgv("registry.local:5000", "acme-pull")).containsExactly(
                "docker", "login", "--username", "acme-pull", "--password-stdin", "registry.local:5000");
        assertThat(DockerLoginModule.logoutArgv("registry.local:5000"))
                .containsExactly("docker", "logout", "registry.local:5000");
        assertThat(DockerLoginModule.mkdirArgv("registry.local:5000"))
                .containsExactly("mkdir", "-p", "/etc/docker/certs.d/registry.local:5000");
        assertThat(DockerLoginModule.caPath("r:5000")).isEqualTo("/etc/docker/certs.d/r:5000/ca.crt");
    }

    @Test
    void storedCredentialsAreFoundUnderTheRegistryKeyDockerUses() {
        // given: what docker login writes (base64 of user:password)
        String auth = DockerLoginModule.auth("u", "p@ss");
        String config = "{\"auths\":{\"reg:5000\":{\"auth\":\"" + auth + "\"},\"https://hub\":{\"auth\":\"x\"}}}";
        // then
        assertThat(auth).isEqualTo("dTpwQHNz");
        assertThat(DockerLoginModule.storedAuth(config, "reg:5000")).isEqualTo(auth);
        assertThat(DockerLoginModule.storedAuth(config, "hub")).isEqualTo("x");
        assertThat(DockerLoginModule.storedAuth(config, "other")).isNull();
        assertThat(DockerLoginModule.storedAuth("", "reg:5000")).isNull();
        assertThat(DockerLoginModule.storedAuth("{\"credsStore\":\"pass\"}", "reg:5000")).isNull();
        assertThat(DockerLoginModule.storedAuth("not json", "reg:5000")).isNull();
    }

    @Test
    void aRegistryGivenAsUrlIsReducedToHostAndPort() {
        assertThat(DockerLoginModule.stripScheme(" https://reg.example.com:5000/ ")).isEqualTo("reg.example.com:5000");
        assertThat(DockerLoginModule.stripScheme("reg")).isEqualTo("reg");
    }

    @Test
    void aBadRegistryOrMissingPasswordFailsBeforeAnythingRuns() {
        // given: the local connection, which would fail loudly if docker were called with these
        DockerLoginModule m = new DockerLoginModule();
        // when
        Result bad = m.run(ModuleTestSupport.local(), ModuleTestSupport.args("registry", "reg/with/path",
                "username", "u", "password", Secret.of("x")));
        Result noPw = m.run(ModuleTestSupport.local(), ModuleTestSupport.args("registry", "reg:5000",
                "username", "u"));
        // then
        assertThat(bad).isInstanceOf(Result.Failed.class);
        assertThat(bad.msg()).startsWith("registry must be host or host:port");
        assertThat(noPw.msg()).startsWith("state=present needs username and password");
    }

    @Test
    void imageReferencesGetTheTagOnceAndKeepRegistryPorts() {
        assertThat(DockerImageModule.reference("itbm/backend", "v1.4.0")).isEqualTo("itbm/backend:v1.4.0");
        assertThat(DockerImageModule.reference("reg:5000/itbm/backend", null))
                .isEqualTo("reg:5000/itbm/backend:latest");
        assertThat(DockerImageModule.reference("reg:5000/itbm/backend:v1", "v2")).isEqualTo("reg:5000/itbm/backend:v2");
        assertThat(DockerImageModule.reference("itbm/backend:v1", null)).isEqualTo("itbm/backend:v1");
        assertThat(DockerImageModule.reference("itbm/backend@sha256:ab", null)).isEqualTo("itbm/backend@sha256:ab");
    }

    @Test
    void imageCommandsAreExact() {
        assertThat(DockerImageModule.inspectArgv("a:1")).containsExactly("docker", "image", "inspect", "--format",
                "{{.Id}}", "a:1");
        assertThat(DockerImageModule.pullArgv("a:1")).containsExactly("docker", "pull", "--quiet", "a:1");
        assertThat(DockerImageModule.loadArgv("/opt/itbm/bundle/a.tar"))
                .containsExactly("docker", "load", "--input", "/opt/itbm/bundle/a.tar");
        assertThat(DockerImageModule.removeArgv("a:1")).containsExactly("docker", "image", "rm", "a:1");
    }

    @Test
    void theDockerModulesAreRegisteredWithPartialCheckMode() {
        ModuleRegistry r = ModuleRegistry.load();
        for (String name : List.of("docker_compose", "docker_login", "docker_image")) {
            assertThat(r.find(name)).as(name).isPresent();
            assertThat(r.find(name).orElseThrow().checkMode()).as(name).isEqualTo(Module.CheckMode.PARTIAL);
        }
        assertThat(r.find("community.docker.docker_compose_v2").map(Module::name)).contains("docker_compose");
    }
}
