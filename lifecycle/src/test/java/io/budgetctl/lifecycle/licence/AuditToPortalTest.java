package io.budgetctl.lifecycle.licence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.lifecycle.repo.AccessDecision;
import io.budgetctl.lifecycle.repo.Audit;
import io.budgetctl.lifecycle.repo.OperatorIdentity;
import io.budgetctl.portal.PortalFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's audit log copied to a real licence portal (BUDGETCTL_AUDIT_PORTAL): every line the file gets, the
 * portal gets byte for byte, chained; a portal that is gone stops the command with a message that names it and not
 * its token; a plain-http portal elsewhere or a missing token is refused before anything is written.
 */
class AuditToPortalTest {
    @TempDir
    Path dir;

    static AccessDecision decision(String client, boolean allowed) {
        return new AccessDecision(OperatorIdentity.ofGit("ivan@itbm-vendor.example"), "Ivan Engineer", "deploy",
                client, "pilot", allowed, allowed ? "engineer" : null, allowed ? "engineer" : "not in pilot");
    }

    @Test
    void everyLineOfTheFileReachesThePortalChainedAndAGonePortalStopsTheCommand() throws Exception {
        Path log = dir.resolve("audit.log");
        String token;
        Audit audit;
        try (PortalFixture portal = PortalFixture.start(dir.resolve("portal"))) {
            token = portal.apiToken();
            audit = Audit.fromEnv(Map.of("BUDGETCTL_AUDIT_LOG", log.toString(), "BUDGETCTL_AUDIT_PORTAL",
                    portal.url() + "/", "BUDGETCTL_AUDIT_PORTAL_TOKEN", token), dir);
            // when
            audit.record(decision("acme", true));
            audit.record(decision("globex", false));
            audit.record(decision("acme", true));
            // then: the portal holds the file's lines, unchanged and in order, each fitting the one before
            Map.Entry<Integer, String> got = portal.admin("GET", "/api/v1/audit", null);
            assertThat(got.getKey()).isEqualTo(200);
            JsonNode lines = new ObjectMapper().readTree(got.getValue()).path("lines");
            List<String> sent = new ArrayList<>();
            List<String> chain = new ArrayList<>();
            lines.forEach(l -> {
                sent.add(l.path("line").asText());
                chain.add(l.path("chain").asText());
            });
            assertThat(sent).isEqualTo(Files.readAllLines(log));
            assertThat(chain).containsExactly("start", "ok", "ok");
        }
        // when: the portal is gone
        assertThatThrownBy(() -> audit.record(decision("acme", true)))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("cannot send audit line 4 to the licence portal at http://127.0.0.1:")
                .hasMessageContaining("it is in " + log + " only")
                .satisfies(e -> assertThat(e.getMessage() + ((EngineException) e).hint()).doesNotContain(token));
        // and the line stays in the file
        assertThat(Files.readAllLines(log)).hasSize(4);
    }

    @Test
    void aPlainHttpPortalElsewhereOrAMissingTokenIsRefusedUpFront() {
        assertThatThrownBy(() -> Audit.fromEnv(Map.of("BUDGETCTL_AUDIT_PORTAL", "http://licences.vendor.example",
                "BUDGETCTL_AUDIT_PORTAL_TOKEN", "t"), dir))
                .isInstanceOf(EngineException.class).hasMessageContaining("would send the audit and the portal's"
                        + " token in the clear");
        assertThatThrownBy(() -> Audit.fromEnv(Map.of("BUDGETCTL_AUDIT_PORTAL", "https://licences.vendor.example"),
                dir)).isInstanceOf(EngineException.class)
                .hasMessageContaining("BUDGETCTL_AUDIT_PORTAL is set but BUDGETCTL_AUDIT_PORTAL_TOKEN is not");
        assertThatThrownBy(() -> Audit.fromEnv(Map.of("BUDGETCTL_AUDIT_PORTAL", "ftp://x",
                "BUDGETCTL_AUDIT_PORTAL_TOKEN", "t"), dir)).isInstanceOf(EngineException.class)
                .hasMessageContaining("is not an http(s) URL");
    }
}
