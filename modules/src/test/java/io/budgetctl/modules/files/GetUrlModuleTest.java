package io.budgetctl.modules.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleTestSupport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real HTTP server on 127.0.0.1 and curl on this host. */
class GetUrlModuleTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicInteger gets = new AtomicInteger();
    private final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    private volatile String body = "release 1.0\n";

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/pkg/app.tar", ex -> {
            if (ex.getRequestMethod().equals("GET")) {
                gets.incrementAndGet();
            }
            ex.getRequestHeaders().forEach((k, v) -> lastHeaders.put(k.toLowerCase(), v.get(0)));
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ex.getRequestMethod().equals("HEAD") ? -1 : b.length);
            ex.getResponseBody().write(ex.getRequestMethod().equals("HEAD") ? new byte[0] : b);
            ex.close();
        });
        server.createContext("/missing", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private final FileModuleTestKit kit = new FileModuleTestKit(new GetUrlModule(), null);

    @Test
    void downloadsThenReportsOkWhenContentIsTheSame() throws Exception {
        // given
        Path dest = dir.resolve("app.tar");
        // when
        Result first = kit.run("url", url("/pkg/app.tar"), "dest", dest.toString(), "mode", "0640",
                "headers", Map.of("X-Token", "abc"));
        Result second = kit.run("url", url("/pkg/app.tar"), "dest", dest.toString(), "mode", "0640");
        // then
        assertThat(first).isInstanceOf(Result.Changed.class);
        assertThat(first.data()).containsEntry("status_code", 200).containsEntry("dest", dest.toString())
                .containsEntry("msg", "OK (12 bytes)").containsEntry("mode", "0640");
        assertThat(lastHeaders).containsEntry("x-token", "abc");
        assertThat(FileModuleTestKit.read(dest)).isEqualTo("release 1.0\n");
        assertThat(second).isInstanceOf(Result.Ok.class);
    }

    @Test
    void matchingChecksumSkipsTheDownload() throws Exception {
        // given
        Path dest = dir.resolve("app.tar");
        String sum = "sha256:" + FileSupport.hex("SHA-256", body.getBytes(StandardCharsets.UTF_8));
        kit.run("url", url("/pkg/app.tar"), "dest", dest.toString(), "checksum", sum);
        int before = gets.get();
        // when
        Result again = kit.run("url", url("/pkg/app.tar"), "dest", dest.toString(), "checksum", sum);
        // then
        assertThat(again).isInstanceOf(Result.Ok.class);
        assertThat(again.msg()).isEqualTo("file already exists");
        assertThat(gets.get()).isEqualTo(before);
    }

    @Test
    void wrongChecksumFailsAndLeavesNoFile() {
        // given
        Path dest = dir.resolve("app.tar");
        String wrong = "0".repeat(64);
        // when
        Result r = kit.run("url", url("/pkg/app.tar"), "dest", dest.toString(), "checksum", "sha256:" + wrong);
        // then
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).isEqualTo("The checksum for " + dest + " did not match " + wrong + "; it was "
                + FileSupport.hex("SHA-256", body.getBytes(StandardCharsets.UTF_8)) + ".");
        assertThat(dest).doesNotExist();
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void changedContentReplacesTheFileAndCheckModeDownloadsNothing() throws Exception {
        // given
        Path dest = dir.resolve("app.tar");
        kit.run("url", url("/pkg/app.tar"), "dest", dest.toString());
        body = "release 2.0\n";
        int before = gets.get();
        // when
        Result check = kit.check("url", url("/pkg/app.tar"), "dest", dest.toString(), "force", true);
        int getsAfterCheck = gets.get();
        Result r = kit.run("url", url("/pkg/app.tar"), "dest", dest.toString(), "force", true);
        // then
        assertThat(check).isInstanceOf(Result.Changed.class);
        assertThat(getsAfterCheck).isEqualTo(before);
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat(FileModuleTestKit.read(dest)).isEqualTo("release 2.0\n");
    }

    @Test
    void directoryDestUsesTheUrlFileName() throws Exception {
        Result r = kit.run("url", url("/pkg/app.tar"), "dest", dir.toString());
        assertThat(r.data()).containsEntry("dest", dir.resolve("app.tar").toString());
        assertThat(dir.resolve("app.tar")).exists();
    }

    @Test
    void headersGivenAsKeyValueTextBecomeCurlHeaderLines() {
        // Ansible's type dict reads "Accept=text/plain" (ModuleArgumentsTest: "Accept:text/plain" is refused)
        assertThat(GetUrlModule.headers(new GetUrlModule().spec().check(ModuleTestSupport.args("url", "u", "dest",
                "d", "headers", "Accept=text/plain")).dict("headers"))).containsExactly("Accept: text/plain");
    }

    @Test
    void httpErrorsAndBadArgumentsFail() {
        Result notFound = kit.run("url", url("/missing"), "dest", dir.resolve("x").toString());
        assertThat(notFound.msg()).isEqualTo("Request failed");
        assertThat(notFound.data()).containsEntry("status_code", 404);
        assertThat(dir.toFile().list()).isEmpty();
        assertThat(kit.run("url", url("/pkg/app.tar"), "dest", dir.resolve("no/x").toString()).msg())
                .isEqualTo("Destination " + dir.resolve("no") + " does not exist");
        assertThat(kit.run("url", url("/pkg/app.tar"), "dest", dir.resolve("x").toString(), "checksum", "abc").msg())
                .isEqualTo("The checksum parameter has to be in format <algorithm>:<checksum>");
    }
}
