package io.budgetctl.portal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A real licence portal for other modules' tests (modules sync in lifecycle and cli): loopback, any free port, an H2
 * file database, a fresh signing key and API token under {@code dir}. Shipped in the portal's test-jar.
 */
public final class PortalFixture implements AutoCloseable {
    private final TestPortal portal;
    private final Path dir;

    private PortalFixture(TestPortal portal, Path dir) {
        this.portal = portal;
        this.dir = dir;
    }

    public static PortalFixture start(Path dir) throws IOException {
        return new PortalFixture(TestPortal.start(dir, TestPortal.h2(dir), dir.resolve("key"), Clock.systemUTC()), dir);
    }

    /**
     * As {@link #start(Path)} with more of the portal's flags, which win over the fixture's ({@code --port 8090} to
     * start it again on the same address, {@code --host} for a portal that containers reach,
     * {@code --heartbeat-interval 15}).
     */
    public static PortalFixture start(Path dir, String... flags) throws IOException {
        return new PortalFixture(TestPortal.start(dir, TestPortal.h2(dir), dir.resolve("key"), Clock.systemUTC(),
                flags), dir);
    }

    public int port() {
        return portal.server.port();
    }

    public String url() {
        return portal.url;
    }

    public String apiToken() {
        return TestPortal.TOKEN;
    }

    /** The signing key's public half, as the portal's .pub file holds it (base64 X.509, one line). */
    public String publicKey() throws IOException {
        return Files.readString(dir.resolve("key").resolve("licence-signing.pub")).strip();
    }

    public String keyId() {
        return portal.server.currentKeyId();
    }

    /** Calls the admin API; returns status and body. */
    public Map.Entry<Integer, String> admin(String method, String path, String json) {
        TestPortal.Response r = portal.admin(method, path, json);
        return Map.entry(r.status(), r.body());
    }

    /** Creates (or renames) a customer and creates or changes a licence for it; fails the test when refused. */
    public void licence(String customer, String licenceId, String modulesJson, String limitsJson, String expires) {
        expect(200, "PUT", "/api/v1/customers/" + customer, "{\"name\": \"" + customer + "\"}");
        expect(200, "PUT", "/api/v1/licences/" + licenceId, "{\"customer\": \"" + customer + "\", \"modules\": "
                + modulesJson + ", \"limits\": " + limitsJson + ", \"valid_from\": \"2020-01-01\", \"expires\": \""
                + expires + "\"}");
    }

    private void expect(int status, String method, String path, String json) {
        TestPortal.Response r = portal.admin(method, path, json);
        if (r.status() != status) {
            throw new AssertionError(method + " " + path + ": HTTP " + r.status() + " " + r.body());
        }
    }

    @Override
    public void close() {
        portal.close();
    }
}
