package io.budgetctl.modules.net;

import static io.budgetctl.modules.ModuleTestSupport.args;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleTestSupport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real curl (run through a LocalConnection) against a real HTTP server on 127.0.0.1. */
class UriModuleTest {
    private static final String HEALTH = "{\"status\": \"up\", \"n\": 3}";
    private final UriModule uri = new UriModule();
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private HttpServer server;
    private String base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", ex -> reply(ex, 200, "application/json", HEALTH));
        server.createContext("/text", ex -> {
            ex.getResponseHeaders().add("Set-Cookie", "session=abc; Path=/");
            reply(ex, 200, "text/plain; charset=utf-8", "hello\n");
        });
        server.createContext("/missing", ex -> reply(ex, 404, "text/plain", "no such thing"));
        server.createContext("/echo", ex -> {
            seen.put("method", ex.getRequestMethod());
            seen.put("content-type", String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")));
            seen.put("x-token", String.valueOf(ex.getRequestHeaders().getFirst("X-Token")));
            seen.put("body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(ex, 201, "text/plain", "created");
        });
        server.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", base + "/text");
            reply(ex, 302, "text/plain", "");
        });
        server.createContext("/private", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String want = "Basic " + Base64.getEncoder().encodeToString("deploy:s3 cr\"et".getBytes(
                    StandardCharsets.UTF_8));
            if (want.equals(auth)) {
                reply(ex, 200, "text/plain", "welcome");
            } else {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"x\"");
                reply(ex, 401, "text/plain", "who are you");
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private static void reply(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
        ex.close();
    }

    @Test
    void aJsonAnswerIsParsedAndHeadersBecomeKeys() {
        // when
        Result r = uri.run(ModuleTestSupport.local(), args("url", base + "/health"));
        // then
        assertThat(r).isInstanceOf(Result.Ok.class);
        assertThat(r.msg()).isEqualTo("OK (" + HEALTH.length() + " bytes)");
        assertThat(r.data()).containsEntry("status", 200)
                .containsEntry("json", Map.of("status", "up", "n", 3))
                .containsEntry("content_type", "application/json")
                .containsEntry("content_length", String.valueOf(HEALTH.length()))
                .containsEntry("url", base + "/health")
                .containsEntry("redirected", false)
                .doesNotContainKey("content");
    }

    @Test
    void returnContentGivesTheBodyAndCookiesAreParsed() {
        Result r = uri.run(ModuleTestSupport.local(), args("url", base + "/text", "return_content", true));
        assertThat(r.data()).containsEntry("content", "hello\n")
                .containsEntry("cookies", Map.of("session", "abc"))
                .containsEntry("cookies_string", "session=abc")
                .doesNotContainKey("json");
    }

    @Test
    void anUnexpectedStatusFailsWithAnsiblesMessage() {
        Result r = uri.run(ModuleTestSupport.local(), args("url", base + "/missing"));
        Result list = uri.run(ModuleTestSupport.local(), args("url", base + "/missing", "status_code", "200,201"));
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).isEqualTo("Status code was 404 and not [200]: HTTP Error 404: Not Found");
        assertThat(r.data()).containsEntry("status", 404);
        assertThat(list.msg()).startsWith("Status code was 404 and not [200, 201]: ");
    }

    @Test
    void anExpectedErrorStatusIsOkAndKeepsTheBody() {
        Result r = uri.run(ModuleTestSupport.local(), args("url", base + "/missing", "status_code", List.of(404)));
        assertThat(r).isInstanceOf(Result.Ok.class);
        assertThat(r.data()).containsEntry("msg", "HTTP Error 404: Not Found").containsEntry("body", "no such thing");
    }

    @Test
    void aJsonBodyIsSentWithMethodAndHeaders() {
        // when
        Result r = uri.run(ModuleTestSupport.local(), args("url", base + "/echo", "method", "post",
                "body_format", "json", "body", Map.of("version", "1.2.3", "quote", "a \"b\"\n"),
                "headers", Map.of("X-Token", Secret.of("t0k\"en")), "status_code", 201));
        // then
        assertThat(r).isInstanceOf(Result.Ok.class);
        assertThat(seen).containsEntry("method", "POST").containsEntry("content-type", "application/json")
                .containsEntry("x-token", "t0k\"en");
        assertThat(seen.get("body")).contains("\"version\":\"1.2.3\"").contains("\"quote\":\"a \\\"b\\\"\\n\"");
    }

    @Test
    void aFormBodyIsUrlEncodedAndARawBodyStartingWithAtIsNotAFileName() {
        uri.run(ModuleTestSupport.local(), args("url", base + "/echo", "method", "PUT",
                "body_format", "form-urlencoded", "body", Map.of("name", "a b&c"), "status_code", 201));
        assertThat(seen).containsEntry("body", "name=a+b%26c")
                .containsEntry("content-type", "application/x-www-form-urlencoded");

        uri.run(ModuleTestSupport.local(), args("url", base + "/echo", "method", "POST", "body", "@/etc/passwd",
                "status_code", 201));
        assertThat(seen).containsEntry("body", "@/etc/passwd");
    }

    @Test
    void redirectsAreFollowedForGet() {
        Result r = uri.run(ModuleTestSupport.local(), args("url", base + "/moved", "return_content", true));
        assertThat(r.data()).containsEntry("status", 200).containsEntry("redirected", true)
                .containsEntry("url", base + "/text").containsEntry("content", "hello\n");
    }

    @Test
    void basicAuthCredentialsAreSentAndNeverReported() {
        Result r = uri.run(ModuleTestSupport.local(), args("url", base + "/private", "user", "deploy",
                "password", Secret.of("s3 cr\"et"), "force_basic_auth", true, "return_content", true));
        Result challenged = uri.run(ModuleTestSupport.local(), args("url", base + "/private",
                "url_username", "deploy", "url_password", "s3 cr\"et", "return_content", true));
        assertThat(r.data()).containsEntry("content", "welcome");
        assertThat(challenged.data()).containsEntry("content", "welcome");
        assertThat(r.data().toString()).doesNotContain("s3 cr");
    }

    @Test
    void aRefusedConnectionIsStatusMinusOne() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Result r = uri.run(ModuleTestSupport.local(), args("url", "http://127.0.0.1:" + port + "/"));
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).startsWith("Status code was -1 and not [200]: Request failed: curl: (7)");
        assertThat(r.data()).containsEntry("status", -1);
    }

    @Test
    void statusCodesAndHeadersGivenAsTextAreReadAsAnsiblesListAndDict() {
        // status_code is Ansible's list of int elements (ModuleArgumentsTest: "200,ok" is refused)
        assertThat(UriModule.request(SpecDefaults.uri(args("url", "http://h/", "status_code", "200, 201", "headers",
                "Accept=text/plain"))))
                .returns(List.of(200, 201), UriModule.Request::statusCodes)
                .returns(Map.of("Accept", "text/plain"), UriModule.Request::headers);
    }

    @Test
    void theCurlConfigQuotesEveryValueAndTheArgvIsFixed() {
        // given
        UriModule.Request req = UriModule.request(SpecDefaults.uri(Map.of("url", "http://h/x?a=\"1\"",
                "method", "POST", "body", "line1\nline2\t\\", "headers", Map.of("Accept", "*/*"),
                "validate_certs", false, "timeout", 7)));
        // when
        String config = UriModule.curlConfig(req);
        // then
        assertThat(config).isEqualTo("""
                url = "http://h/x?a=\\"1\\""
                request = "POST"
                header = "Accept: */*"
                data-raw = "line1\\nline2\\t\\\\"
                insecure
                max-time = 7
                """);
    }

    @Test
    void headerValuesWithLineBreaksAreRejected() {
        Result r = uri.run(ModuleTestSupport.local(), args("url", base + "/text",
                "headers", Map.of("X-Evil", "a\r\nInjected: yes")));
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).startsWith("invalid HTTP header 'X-Evil'");
    }

    /** Arguments as the module reads them: checked against its spec, defaults filled in. */
    static final class SpecDefaults {
        static Args uri(Map<String, Object> given) {
            return new UriModule().spec().check(given);
        }
    }
}
