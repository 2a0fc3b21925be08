package io.budgetctl.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portal's image (deploy/images/portal, scripts/build-portal-image) on the real Docker engine: it starts from the
 * signing key and API token given as read-only files, answers /healthz, the API and the web UI on its published
 * port, runs as its own unprivileged user, turns healthy, and keeps its database in the volume across a restart.
 */
class PortalImageIT {
    static final String TOKEN = "image-test-admin-token-0123456789";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

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
        String name = "budgetctl-portal-it-" + UUID.randomUUID().toString().substring(0, 8);
        String volume = name + "-data";
        try {
            PortalPostgresIT.run("docker", "volume", "create", volume);
            PortalPostgresIT.run("docker", "run", "-d", "--name", name, "-p", "127.0.0.1::8090",
                    "-v", keys + ":/run/portal:ro", "-v", volume + ":/var/lib/portal",
                    "-e", "PORTAL_SIGNING_KEY=/run/portal/licence-signing.key",
                    "-e", "PORTAL_ADMIN_TOKEN_FILE=/run/portal/admin.token", "itbm/portal:it");
            String url = awaitHealthz(name);
            assertThat(call(url, "PUT", "/api/v1/customers/acme", "{\"name\": \"Acme\"}")).startsWith("200 ");
            assertThat(call(url, "GET", "/ui/login", null)).startsWith("200 ").contains("Sign in");
            assertThat(call(url, "GET", "/api/v1/fleet", null, false)).startsWith("401 ");
            assertThat(PortalPostgresIT.run("docker", "exec", name, "id", "-u").strip()).isEqualTo("10002");
            awaitHealthy(name);

            PortalPostgresIT.run("docker", "restart", name);
            url = awaitHealthz(name);
            assertThat(call(url, "GET", "/api/v1/fleet", null)).startsWith("200 ").contains("\"customer\":\"acme\"");
        } finally {
            new ProcessBuilder("docker", "rm", "-f", name).redirectErrorStream(true).start().waitFor();
            new ProcessBuilder("docker", "volume", "rm", "-f", volume).redirectErrorStream(true).start().waitFor();
        }
    }

    private static String awaitHealthz(String name) throws Exception {
        String port = PortalPostgresIT.run("docker", "port", name, "8090/tcp").lines().findFirst().orElseThrow();
        String url = "http://127.0.0.1:" + port.substring(port.lastIndexOf(':') + 1);
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); System.nanoTime() < end; Thread.sleep(500)) {
            try {
                if (call(url, "GET", "/healthz", null).startsWith("200 ")) {
                    return url;
                }
            } catch (java.io.IOException notYet) {
                // the JVM is still starting
            }
        }
        throw new AssertionError("the portal container never answered /healthz:\n"
                + PortalPostgresIT.run("docker", "logs", name));
    }

    private static void awaitHealthy(String name) throws Exception {
        String state = "";
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); System.nanoTime() < end; Thread.sleep(1000)) {
            state = PortalPostgresIT.run("docker", "inspect", "-f", "{{.State.Health.Status}}", name).strip();
            if (state.equals("healthy")) {
                return;
            }
        }
        throw new AssertionError("the portal container is " + state + ", not healthy");
    }

    /** Status and body of a request, with the API token unless {@code path} is asked for without it. */
    private static String call(String url, String method, String path, String body) throws Exception {
        return call(url, method, path, body, true);
    }

    private static String call(String url, String method, String path, String body, boolean token) throws Exception {
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
