package io.budgetctl.lifecycle.licence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.portal.PortalFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** modules publish: the repository's desired state reaches a real portal, whose fleet then shows drift against it. */
class DesiredStatePublishTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path portalDir;
    @TempDir
    static Path repo;
    static PortalFixture portal;

    @BeforeAll
    static void start() throws IOException {
        portal = PortalFixture.start(portalDir);
        portal.licence("acme", "LIC-1", "[\"forecasting\", \"sso\"]", "{}", "2027-01-31");
        Files.createDirectories(repo.resolve("clients"));
        Files.createDirectories(repo.resolve("environments"));
        Files.writeString(repo.resolve("environments/production.yaml"), "name: production\ndefaults:\n"
                + "  version: v1.4.0\n  modules: [sso, forecasting]\n");
        Files.writeString(repo.resolve("clients/acme.yaml"), "id: acme\nenvironment: production\n");
        Files.writeString(repo.resolve("clients/beta.yaml"), "id: beta\nenvironment: production\nversion: v1.3.2\n"
                + "modules: [reporting]\n");
        Files.writeString(repo.resolve("clients/gamma.yaml"), "id: gamma\nversion: latest\n");
        Files.writeString(repo.resolve("clients/delta.yaml"), "id: delta\n");
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static Map<String, String> env(String url, String token) {
        return Map.of("BUDGETCTL_PORTAL_URL", url, "BUDGETCTL_PORTAL_TOKEN", token);
    }

    private static JsonNode acmeOnThePortal() throws IOException {
        return JSON.readTree(portal.admin("GET", "/api/v1/fleet", null).getValue()).get("customers").get(0);
    }

    @Test
    void theSnapshotTakesVersionAndModulesFromClientFileOverEnvironmentAndNamesWhatItLeavesOut() throws IOException {
        DesiredStatePublish.Result dry = DesiredStatePublish.run(DeploymentsRepository.open(repo),
                env(portal.url(), portal.apiToken()), "maria", Duration.ofSeconds(10), true);
        assertThat(dry.sent()).isFalse();
        assertThat(dry.entries()).containsExactly(
                new DesiredStatePublish.Entry("acme", "v1.4.0", List.of("forecasting", "sso")),
                new DesiredStatePublish.Entry("beta", "v1.3.2", List.of("reporting")));
        assertThat(dry.skipped()).extracting(DesiredStatePublish.Skipped::customer).containsExactly("delta", "gamma");
        assertThat(dry.skipped().get(1).reason()).contains("'latest'");
        assertThat(acmeOnThePortal().get("desired_version").isNull()).as("a dry run sends nothing").isTrue();

        DesiredStatePublish.Result sent = DesiredStatePublish.run(DeploymentsRepository.open(repo),
                env(portal.url(), portal.apiToken()), "maria", Duration.ofSeconds(10), false);
        assertThat(sent.sent()).isTrue();
        assertThat(sent.recorded()).isEqualTo(2);
        JsonNode acme = acmeOnThePortal();
        assertThat(acme.get("desired_version").asText()).isEqualTo("v1.4.0");
        assertThat(acme.get("desired_modules").toString()).isEqualTo("[\"forecasting\",\"sso\"]");
    }

    @Test
    void aRefusedTokenOrAPortalAnsweringGarbageIsOneLine() throws IOException {
        assertThatThrownBy(() -> DesiredStatePublish.run(DeploymentsRepository.open(repo),
                env(portal.url(), "not-the-token"), null, Duration.ofSeconds(10), false))
                .isInstanceOf(EngineException.class).hasMessage("the licence portal refused the API token (HTTP 401)");
        HttpServer garbage = FakeWebServer.answering("<html>hello</html>");
        try {
            assertThatThrownBy(() -> DesiredStatePublish.run(DeploymentsRepository.open(repo),
                    env("http://127.0.0.1:" + garbage.getAddress().getPort(), "t"), null, Duration.ofSeconds(10),
                    false)).isInstanceOf(EngineException.class)
                    .hasMessage("the licence portal's answer is not JSON");
        } finally {
            garbage.stop(0);
        }
    }
}
