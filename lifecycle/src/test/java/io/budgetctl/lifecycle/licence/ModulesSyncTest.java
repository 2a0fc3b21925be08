package io.budgetctl.lifecycle.licence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.portal.PortalFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** modules sync against a real licence portal started in this JVM, over a throw-away deployments repository. */
class ModulesSyncTest {
    static final LocalDate TODAY = LocalDate.of(2026, 12, 5);
    @TempDir
    static Path portalDir;
    static PortalFixture portal;

    @TempDir
    Path repo;

    @BeforeAll
    static void startPortal() throws IOException {
        portal = PortalFixture.start(portalDir);
        portal.licence("acme", "LIC-2024-0001", "[\"forecasting\", \"sso\", \"multi-currency\", \"audit\"]",
                "{\"users\": 300, \"cost_centres\": 120}", "2027-01-31");
        portal.licence("delta", "LIC-2024-0004", "[\"api\"]", "{}", "2026-11-30");
        portal.licence("gamma", "LIC-2024-0077", "[\"api\"]", "{}", "2027-11-30");
        portal.licence("epsilon", "LIC-2024-0005", "[\"forecasting\"]", "{\"cost_centres\": 20}", "2027-06-30");
        portal.licence("zeta", "LIC-2024-0006", "[\"forecasting\"]", "{}", "2027-06-30");
    }

    @AfterAll
    static void stopPortal() {
        portal.close();
    }

    @BeforeEach
    void repository() throws IOException {
        Files.createDirectories(repo.resolve("clients"));
        Files.createDirectories(repo.resolve("environments"));
        Files.createDirectories(repo.resolve("licences/keys"));
        Files.writeString(repo.resolve("clients/acme.yaml"), ClientFileEditTest.ACME.replace("id: acme\n",
                "id: acme\nenvironment: production\n"));
        Files.writeString(repo.resolve("clients/delta.yaml"), "id: delta\nenvironment: production\n"
                + "licence: LIC-2024-0004\n");
        Files.writeString(repo.resolve("clients/gamma.yaml"), "id: gamma\nenvironment: production\n"
                + "licence: LIC-2024-0003  # not what the portal has\n");
        Files.writeString(repo.resolve("environments/production.yaml"), "name: production\ndefaults:\n"
                + "  modules: [forecasting]\n  limits: {users: 100}\n");
        Files.writeString(repo.resolve("licences/keys/portal-2026.pub"), portal.publicKey() + "\n");
        Files.writeString(repo.resolve("portal.yaml"), "# the vendor's licence portal\nurl: " + portal.url()
                + "\ntoken: sops:secrets/portal.sops.yaml#api_token\n");
    }

    private ModulesSync.Result sync(String client, boolean check, Map<String, String> env) {
        return ModulesSync.run(new ModulesSync.Request(DeploymentsRepository.open(repo), client, check, env,
                "maria@vendor", TODAY, Duration.ofSeconds(20)));
    }

    private Map<String, String> token() {
        return Map.of("BUDGETCTL_PORTAL_TOKEN", portal.apiToken());
    }

    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(repo)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                files.put(repo.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }

    @Test
    void checkShowsTheDifferenceAndChangesNothing() throws IOException {
        // given
        Map<String, String> before = snapshot();

        // when
        ModulesSync.Result r = sync("acme", true, token());

        // then
        assertThat(r.added()).containsExactly("multi-currency");
        assertThat(r.removed()).containsExactly("reporting");
        assertThat(r.limits()).containsExactly(new ModulesSync.LimitChange("users", 250L, 300L));
        assertThat(r.inSync()).isFalse();
        assertThat(r.licence().keyId()).isEqualTo(portal.keyId());
        assertThat(r.keySource()).isEqualTo("licences/keys/portal-2026.pub");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void syncEditsTheClientFileInPlaceWritesTheLicenceAndIsThenInSync() throws IOException {
        // given
        String clientBefore = Files.readString(repo.resolve("clients/acme.yaml"));

        // when
        ModulesSync.Result r = sync("acme", false, token());

        // then: only the two values changed; comments, blank line and order are the author's
        assertThat(r.clientFileChanged()).isTrue();
        assertThat(Files.readString(repo.resolve("clients/acme.yaml"))).isEqualTo(clientBefore
                .replace("[forecasting, reporting, audit, sso]", "[forecasting, audit, sso, multi-currency]")
                .replace("users: 250  # raised", "users: 300  # raised"));
        byte[] licence = Files.readAllBytes(repo.resolve("licences/acme.json"));
        assertThat(new String(licence, StandardCharsets.UTF_8)).isEqualTo(portal.admin("GET",
                "/api/v1/customers/acme/licence", null).getValue());
        assertThat(Files.readString(repo.resolve("licences/acme.pub")).strip()).isEqualTo(portal.publicKey());
        // what deploy will read is a licence the trusted key verifies
        assertThat(SignedLicence.verify("acme.json", licence, ModulesSync.trustedKeys(repo)).licence().modules())
                .containsExactly("audit", "forecasting", "multi-currency", "sso");
        ModulesSync.Result again = sync("acme", false, token());
        assertThat(again.inSync()).isTrue();
        assertThat(again.clientFileChanged()).isFalse();
    }

    @Test
    void aLimitInheritedFromTheEnvironmentThatTheLicenceDropsIsSetToNoLimitInTheClientFile() throws IOException {
        // given: production's defaults limit users to 100; the licences have no user limit
        Files.writeString(repo.resolve("clients/epsilon.yaml"), "id: epsilon\nenvironment: production\n"
                + "licence: LIC-2024-0005\nmodules: [forecasting]\nlimits:\n  cost_centres: 20  # contract\n");
        Files.writeString(repo.resolve("clients/zeta.yaml"), "id: zeta\nenvironment: production\n"
                + "licence: LIC-2024-0006\nmodules: [forecasting]\n");

        // when
        ModulesSync.Result epsilon = sync("epsilon", false, token());
        ModulesSync.Result zeta = sync("zeta", false, token());

        // then: the inherited limit is overridden with null in the file's own limits, so none is in force
        assertThat(epsilon.limits()).containsExactly(new ModulesSync.LimitChange("users", 100L, null));
        assertThat(Files.readString(repo.resolve("clients/epsilon.yaml"))).endsWith(
                "limits:\n  cost_centres: 20  # contract\n  users: null\n");
        assertThat(zeta.limits()).containsExactly(new ModulesSync.LimitChange("users", 100L, null));
        assertThat(Files.readString(repo.resolve("clients/zeta.yaml"))).endsWith(
                "modules: [forecasting]\nlimits:\n  users: null\n");
        Map<String, Object> merged = DeploymentsRepository.open(repo).mergedClient("epsilon");
        @SuppressWarnings("unchecked")
        Map<String, Object> limits = (Map<String, Object>) merged.get("limits");
        assertThat(limits).containsEntry("users", null).containsEntry("cost_centres", 20);
        // and now both are in sync
        assertThat(sync("epsilon", false, token()).inSync()).isTrue();
        assertThat(sync("zeta", false, token()).inSync()).isTrue();
    }

    @Test
    void theTokenCanComeFromPortalYamlAsASecretReference() throws Exception {
        // given: no BUDGETCTL_PORTAL_TOKEN; portal.yaml's reference points into a SOPS file nobody can decrypt here
        // when / then: the reference is resolved (and fails as SOPS does), it is not sent as the token itself
        assertThatThrownBy(() -> sync("acme", true, Map.of()))
                .isInstanceOf(EngineException.class).hasMessageContaining("secrets/portal.sops.yaml");
        Files.writeString(repo.resolve("portal.yaml"), "url: " + portal.url() + "\ntoken: " + portal.apiToken() + "\n");
        assertThatThrownBy(() -> sync("acme", true, Map.of())).isInstanceOf(EngineException.class)
                .hasMessage("portal.yaml 'token' must be a secret reference, not the token itself")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(portal.apiToken()));
    }

    @Test
    void refusalsLeaveTheRepositoryAsItWas() throws Exception {
        // given
        Map<String, String> before = snapshot();

        // when / then: an expired licence, another licence id than the client file's, a wrong token
        assertThatThrownBy(() -> sync("delta", false, token())).isInstanceOf(EngineException.class)
                .hasMessage("licence LIC-2024-0004 expired on 2026-11-30");
        assertThatThrownBy(() -> sync("gamma", false, token())).isInstanceOf(EngineException.class)
                .hasMessage("the client file names licence LIC-2024-0003 but the portal's licence for 'gamma' is"
                        + " LIC-2024-0077");
        assertThatThrownBy(() -> sync("acme", false, Map.of("BUDGETCTL_PORTAL_TOKEN", "not-the-token")))
                .isInstanceOf(EngineException.class).hasMessage("the licence portal refused the API token (HTTP 401)");
        // a licence signed by a key the repository does not trust (as a tampered file would be)
        var other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.writeString(repo.resolve("licences/keys/portal-2026.pub"),
                Base64.getEncoder().encodeToString(other.getPublic().getEncoded()) + "\n");
        before.put("licences/keys/portal-2026.pub", Files.readString(repo.resolve("licences/keys/portal-2026.pub")));
        assertThatThrownBy(() -> sync("acme", false, token())).isInstanceOf(EngineException.class)
                .hasMessageStartingWith("licence signature does not verify with any trusted key (it names key "
                        + portal.keyId() + ")");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void fromFileNeedsNoPortalAndRefusesWhatTheRepositoryWouldRefuseFromThePortal() throws Exception {
        // given: the licence files as the vendor would send them to an offline customer
        Path acmeFile = repo.resolveSibling("acme-licence.json");
        Files.writeString(acmeFile, portal.admin("GET", "/api/v1/customers/acme/licence", null).getValue());
        Path deltaFile = repo.resolveSibling("delta-licence.json");
        Files.writeString(deltaFile, portal.admin("GET", "/api/v1/customers/delta/licence", null).getValue());
        Files.delete(repo.resolve("portal.yaml"));
        Map<String, String> before = snapshot();

        // when / then: another customer's licence, a missing file, a tampered file: refused, nothing written
        assertThatThrownBy(() -> fromFile("acme", deltaFile)).isInstanceOf(EngineException.class)
                .hasMessage("the licence in delta-licence.json LIC-2024-0004 is for customer 'delta', not 'acme'");
        assertThatThrownBy(() -> fromFile("acme", repo.resolveSibling("nope.json"))).isInstanceOf(EngineException.class)
                .hasMessageStartingWith("no licence file ");
        Path tampered = repo.resolveSibling("tampered.json");
        String file = Files.readString(acmeFile);
        String payload = file.replaceAll("(?s).*\"payload\" : \"([^\"]+)\".*", "$1");
        Files.writeString(tampered, file.replace(payload, Base64.getEncoder().encodeToString(new String(Base64
                .getDecoder().decode(payload), StandardCharsets.UTF_8).replace("\"sso\"", "\"sso\",\"api\"")
                .getBytes(StandardCharsets.UTF_8))));
        assertThatThrownBy(() -> fromFile("acme", tampered)).isInstanceOf(EngineException.class)
                .hasMessageStartingWith("licence signature");
        assertThat(snapshot()).isEqualTo(before);

        // the real one: applied with no portal configured at all
        ModulesSync.Result r = fromFile("acme", acmeFile);
        assertThat(r.added()).containsExactly("multi-currency");
        assertThat(Files.readString(repo.resolve("licences/acme.json"))).isEqualTo(Files.readString(acmeFile));
    }

    private ModulesSync.Result fromFile(String client, Path file) {
        return ModulesSync.run(new ModulesSync.Request(DeploymentsRepository.open(repo), client, false, Map.of(),
                "maria@vendor", TODAY, Duration.ofSeconds(20), file));
    }

    @Test
    void aTamperedLicenceFileIsRefused() throws Exception {
        // given: the real licence with one module added to its payload
        String file = portal.admin("GET", "/api/v1/customers/acme/licence", null).getValue();
        String payload = file.replaceAll("(?s).*\"payload\" : \"([^\"]+)\".*", "$1");
        String changed = Base64.getEncoder().encodeToString(new String(Base64.getDecoder().decode(payload),
                StandardCharsets.UTF_8).replace("\"sso\"", "\"sso\",\"api\"").getBytes(StandardCharsets.UTF_8));

        // when / then
        assertThatThrownBy(() -> SignedLicence.verify("acme.json", file.replace(payload, changed)
                .getBytes(StandardCharsets.UTF_8), ModulesSync.trustedKeys(repo)))
                .isInstanceOf(EngineException.class).hasMessageStartingWith("licence signature does not verify");
        assertThat(SignedLicence.verify("acme.json", file.getBytes(StandardCharsets.UTF_8),
                ModulesSync.trustedKeys(repo)).licence().customer()).isEqualTo("acme");
    }

    @Test
    void aPortalThatAnswersGarbageOrNothingIsAOneLineErrorAndNothingChanges() throws Exception {
        // given: a web server that answers "hello" and a socket that accepts and never answers
        Map<String, String> before = snapshot();
        HttpServer garbage = FakeWebServer.answering("hello");
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            // when / then
            assertThatThrownBy(() -> sync("acme", false, Map.of("BUDGETCTL_PORTAL_TOKEN", "t",
                    "BUDGETCTL_PORTAL_URL", "http://127.0.0.1:" + garbage.getAddress().getPort())))
                    .isInstanceOf(EngineException.class).hasMessage("the licence is not a licence file (not JSON)");
            assertThatThrownBy(() -> ModulesSync.run(new ModulesSync.Request(DeploymentsRepository.open(repo), "acme",
                    false, Map.of("BUDGETCTL_PORTAL_TOKEN", "t", "BUDGETCTL_PORTAL_URL", "http://127.0.0.1:"
                    + silent.getLocalPort()), null, TODAY, Duration.ofSeconds(1))))
                    .isInstanceOf(EngineException.class).hasMessage("the licence portal did not answer within 1 s");
        } finally {
            garbage.stop(0);
            for (Socket s : held) {
                s.close();
            }
        }
        assertThat(snapshot()).isEqualTo(before);
    }
}
