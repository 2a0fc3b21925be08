package io.budgetctl.lifecycle.secrets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for HashiCorp Vault, NOT Vault itself: Vault cannot be installed on this machine, so this small HTTP
 * server on 127.0.0.1 implements the documented Vault HTTP API endpoints budgetctl uses, with their documented
 * request and response shapes:
 * <ul>
 *   <li>{@code GET /v1/<mount>/data/<path>} (KV v2 read) with {@code X-Vault-Token}; answers
 *   {@code {"data":{"data":{...},"metadata":{...}}}}, 403 {@code {"errors":["permission denied"]}} for a bad token,
 *   404 {@code {"errors":[]}} for a missing secret;</li>
 *   <li>{@code POST /v1/auth/approle/login} ({@code role_id}, {@code secret_id}) and
 *   {@code POST /v1/auth/kubernetes/login} ({@code role}, {@code jwt}), answering {@code {"auth":{"client_token":...}}}
 *   or 400 {@code {"errors":["invalid role or secret ID"]}};</li>
 *   <li>{@code X-Vault-Namespace}: secrets live per namespace, as in Vault Enterprise.</li>
 * </ul>
 * It records every request so tests can check what the client really sent.
 */
final class VaultStandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final Map<String, Map<String, Object>> secrets = new ConcurrentHashMap<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>(); // token -> namespace
    private final Map<String, String> approles = new ConcurrentHashMap<>(); // role_id -> secret_id
    private final Map<String, String> k8sRoles = new ConcurrentHashMap<>(); // role -> jwt
    final List<Request> requests = new CopyOnWriteArrayList<>();

    record Request(String method, String path, String token, String namespace) {
    }

    VaultStandIn() throws IOException {
        this(null);
    }

    /** Over HTTPS with {@code tls} (its key and certificate) when given, as a production Vault listens. */
    VaultStandIn(javax.net.ssl.SSLContext tls) throws IOException {
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(at, 0);
        } else {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(at, 0);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/v1/", this::handle);
        server.start();
    }

    String address() {
        return (server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http") + "://127.0.0.1:"
                + server.getAddress().getPort();
    }

    VaultStandIn secret(String namespace, String apiPath, Map<String, Object> data) {
        secrets.put(namespace + "|" + apiPath, data);
        return this;
    }

    VaultStandIn token(String token, String namespace) {
        tokens.put(token, namespace);
        return this;
    }

    VaultStandIn approle(String roleId, String secretId) {
        approles.put(roleId, secretId);
        return this;
    }

    VaultStandIn kubernetesRole(String role, String jwt) {
        k8sRoles.put(role, jwt);
        return this;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath().substring("/v1/".length());
            String token = ex.getRequestHeaders().getFirst("X-Vault-Token");
            String ns = ex.getRequestHeaders().getFirst("X-Vault-Namespace");
            ns = ns == null ? "" : ns;
            requests.add(new Request(ex.getRequestMethod(), "/v1/" + path, token, ns));
            if (ex.getRequestMethod().equals("POST") && path.startsWith("auth/") && path.endsWith("/login")) {
                Map<?, ?> body = JSON.readValue(ex.getRequestBody(), Map.class);
                boolean ok = path.equals("auth/approle/login")
                        ? body.get("secret_id") != null && body.get("secret_id").equals(approles.get(
                                String.valueOf(body.get("role_id"))))
                        : path.equals("auth/kubernetes/login") && body.get("jwt") != null
                                && body.get("jwt").equals(k8sRoles.get(String.valueOf(body.get("role"))));
                if (!ok) {
                    send(ex, 400, Map.of("errors", List.of("invalid role or secret ID")));
                    return;
                }
                String issued = "s." + Long.toHexString(System.nanoTime());
                tokens.put(issued, ns);
                // the documented login response (AppRole and Kubernetes answer alike)
                Map<String, Object> auth = new java.util.LinkedHashMap<>();
                auth.put("client_token", issued);
                auth.put("accessor", "accessor-" + issued);
                auth.put("policies", List.of("default"));
                auth.put("token_policies", List.of("default"));
                auth.put("metadata", Map.of("role_name", "budgetctl"));
                auth.put("lease_duration", 1200);
                auth.put("renewable", true);
                auth.put("entity_id", "entity-1");
                auth.put("token_type", "service");
                auth.put("orphan", true);
                send(ex, 200, Map.of("request_id", "r0", "lease_id", "", "renewable", false, "lease_duration", 0,
                        "auth", auth));
                return;
            }
            if (token == null || !tokens.containsKey(token) || !tokens.get(token).equals(ns)) {
                send(ex, 403, Map.of("errors", List.of("permission denied")));
                return;
            }
            if (ex.getRequestMethod().equals("GET") && path.contains("/data/")) {
                Map<String, Object> data = secrets.get(ns + "|" + path);
                if (data == null) {
                    send(ex, 404, Map.of("errors", List.of()));
                    return;
                }
                send(ex, 200, Map.of("request_id", "r1", "lease_id", "", "renewable", false, "lease_duration", 0,
                        "data", Map.of("data", data, "metadata", Map.of("created_time", "2024-01-01T00:00:00Z",
                                "deletion_time", "", "destroyed", false, "version", 1))));
                return;
            }
            send(ex, 404, Map.of("errors", List.of()));
        }
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] b = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
