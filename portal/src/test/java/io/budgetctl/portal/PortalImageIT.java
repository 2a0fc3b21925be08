package io.budgetctl.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import io.budgetctl.engine.testkit.LocalImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The portal's image (deploy/images/portal, scripts/build-portal-image) on the real Docker engine: it starts from the
 * signing key and API token given as read-only files, answers /healthz, the API and the web UI on its published
 * port, runs as its own unprivileged user, turns healthy, and keeps its database in the volume: a new container on
 * that volume serves what the first one stored.
 */
class PortalImageIT {
    static final String TOKEN = "image-test-admin-token-0123456789";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String VOLUME = "budgetctl-portal-it-" + UUID.randomUUID().toString().substring(0, 8) + "-data";
    static GenericContainer<?> portal;

    // per class, so that it is deleted after @AfterAll has removed the container that mounts it
    @TempDir
    static Path dir;

    @Test
    void theImageServesTheApiAndTheUiAndKeepsItsDataInTheVolume() throws Exception {
        PortalPostgresIT.ensureImage();  // itbm/base and itbm/jdk-build come with scripts/build-images
        Path root = Path.of("..").toAbsolutePath().normalize();
        Process build = new ProcessBuilder(root.resolve("scripts/build-portal-image").toString(), "it")
                .directory(root.toFile()).redirectErrorStream(true).start();
        String built = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(build.waitFor(20, TimeUnit.MINUTES)).isTrue();
        assertThat(build.exitValue()).as(built).isZero();

        Path keys = Files.createDirectories(dir.resolve("keys"));
        SigningKeys.generate(keys);
        Files.writeString(keys.resolve("admin.token"), TOKEN + "\n");
        // the container's user (10002) reads the mounted files; a real host would use Docker secrets
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String f : new String[] {"licence-signing.key", "licence-signing.pub", "admin.token"}) {
            Files.setPosixFilePermissions(keys.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
        }
        portal = LocalImages.container("itbm/portal:it", 8090)
                .withFileSystemBind(keys.toString(), "/run/portal", BindMode.READ_ONLY)
                .withCreateContainerCmdModifier(c -> c.getHostConfig().withMounts(List.of(new Mount()
                        .withType(MountType.VOLUME).withSource(VOLUME).withTarget("/var/lib/portal"))))
                .withEnv(Map.of("PORTAL_SIGNING_KEY", "/run/portal/licence-signing.key",
                        "PORTAL_ADMIN_TOKEN_FILE", "/run/portal/admin.token"))
                .waitingFor(Wait.forHttp("/healthz").withStartupTimeout(Duration.ofMinutes(2)));
        portal.start();
        assertThat(call("PUT", "/api/v1/customers/acme", "{\"name\": \"Acme\"}")).startsWith("200 ");
        assertThat(call("GET", "/ui/login", null)).startsWith("200 ").contains("Sign in");
        assertThat(call("GET", "/api/v1/fleet", null, false)).startsWith("401 ");
        assertThat(portal.execInContainer("id", "-u").getStdout().strip()).isEqualTo("10002");
        Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(2)).waitUntilReady(portal);

        // stopped cleanly, then a new container on the same volume. A docker restart could not show that the data is
        // in our volume: without it, the anonymous volume the image declares would keep the data across a restart
        portal.getDockerClient().stopContainerCmd(portal.getContainerId()).exec();
        portal.stop();
        portal.start();
        assertThat(call("GET", "/api/v1/fleet", null)).startsWith("200 ").contains("\"customer\":\"acme\"");
    }

    /** Ryuk is off: this removes the container and the volume, whatever the test did. */
    @AfterAll
    static void removePortal() {
        if (portal != null) {
            portal.stop();
            try {
                portal.getDockerClient().removeVolumeCmd(VOLUME).exec();
            } catch (NotFoundException notCreated) {
                // the container never got as far as creating it
            }
        }
    }

    /** Status and body of a request, with the API token unless {@code path} is asked for without it. */
    private static String call(String method, String path, String body) throws Exception {
        return call(method, path, body, true);
    }

    private static String call(String method, String path, String body, boolean token) throws Exception {
        String url = "http://" + portal.getHost() + ":" + portal.getMappedPort(8090);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }
}
