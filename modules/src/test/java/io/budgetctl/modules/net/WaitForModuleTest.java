package io.budgetctl.modules.net;

import static io.budgetctl.modules.ModuleTestSupport.args;
import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleTestSupport;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaitForModuleTest {
    private final WaitForModule waitFor = new WaitForModule();

    @Test
    void anOpenPortIsFoundAtOnce() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            // when
            Result r = waitFor.run(ModuleTestSupport.local(),
                    args("host", "127.0.0.1", "port", server.getLocalPort(), "timeout", 5));
            // then
            assertThat(r).isInstanceOf(Result.Ok.class);
            assertThat(r.data()).containsEntry("port", server.getLocalPort()).containsEntry("state", "started")
                    .containsEntry("elapsed", 0).containsEntry("path", null);
        }
    }

    @Test
    void aPortThatOpensLaterIsWaitedFor() throws Exception {
        // given: a free port that starts listening after about 1.5s
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        CompletableFuture<ServerSocket> later = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(1500);
                return new ServerSocket(port, 5, InetAddress.getLoopbackAddress());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            // when
            Result r = waitFor.run(ModuleTestSupport.local(), args("port", port, "timeout", 10));
            // then
            assertThat(r).isInstanceOf(Result.Ok.class);
            assertThat((Integer) r.data().get("elapsed")).isBetween(1, 5);
        } finally {
            later.get().close();
        }
    }

    @Test
    void aClosedPortTimesOutWithAnsiblesMessage() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Result r = waitFor.run(ModuleTestSupport.local(), args("host", "127.0.0.1", "port", port, "timeout", 1));
        Result stopped = waitFor.run(ModuleTestSupport.local(),
                args("host", "127.0.0.1", "port", port, "timeout", 1, "state", "stopped"));
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).isEqualTo("Timeout when waiting for 127.0.0.1:" + port);
        assertThat(r.data()).containsEntry("elapsed", 1);
        assertThat(stopped).isInstanceOf(Result.Ok.class);
    }

    @Test
    void anOpenPortNeverStopsAndTheCustomMessageIsUsed() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Result r = waitFor.run(ModuleTestSupport.local(), args("host", "127.0.0.1",
                    "port", server.getLocalPort(), "timeout", 1, "state", "stopped"));
            Result custom = waitFor.run(ModuleTestSupport.local(), args("host", "127.0.0.1",
                    "port", server.getLocalPort(), "timeout", 1, "state", "stopped", "msg", "still up"));
            assertThat(r.msg()).isEqualTo("Timeout when waiting for 127.0.0.1:" + server.getLocalPort()
                    + " to stop.");
            assertThat(custom.msg()).isEqualTo("still up");
        }
    }

    @Test
    void aFileWithTheSearchedTextReportsTheMatchGroups(@TempDir Path dir) throws Exception {
        // given
        Path log = Files.writeString(dir.resolve("app.log"), "booting\nlistening on port 8080\n");
        // when
        Result r = waitFor.run(ModuleTestSupport.local(), args("path", log.toString(),
                "search_regex", "^listening on port (?P<port>\\d+)$", "timeout", 2));
        // then
        assertThat(r).isInstanceOf(Result.Ok.class);
        assertThat(r.data()).containsEntry("match_groups", List.of("8080"))
                .containsEntry("match_groupdict", Map.of("port", "8080"))
                .containsEntry("state", "file").containsEntry("path", log.toString());
    }

    @Test
    void missingTextOrFileTimesOutAndAbsentIsSeen(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("app.log"), "booting\n");
        Result text = waitFor.run(ModuleTestSupport.local(),
                args("path", log.toString(), "search_regex", "ready", "timeout", 1));
        Result file = waitFor.run(ModuleTestSupport.local(),
                args("path", dir.resolve("nope").toString(), "timeout", 1));
        Result absent = waitFor.run(ModuleTestSupport.local(),
                args("path", dir.resolve("nope").toString(), "state", "absent", "timeout", 1));
        Result present = waitFor.run(ModuleTestSupport.local(),
                args("path", log.toString(), "state", "absent", "timeout", 1));
        assertThat(text.msg()).isEqualTo("Timeout when waiting for search string ready in " + log);
        assertThat(file.msg()).isEqualTo("Timeout when waiting for file " + dir.resolve("nope"));
        assertThat(absent).isInstanceOf(Result.Ok.class);
        assertThat(present.msg()).isEqualTo("Timeout when waiting for " + log + " to be absent.");
    }

    @Test
    void aFileCreatedLaterIsWaitedFor(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("ready");
        CompletableFuture<Void> later = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(1200);
                Files.writeString(marker, "ok");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Result r = waitFor.run(ModuleTestSupport.local(), args("path", marker.toString(), "timeout", 10));
        later.get();
        assertThat(r).isInstanceOf(Result.Ok.class);
        assertThat(r.data()).containsEntry("size", 2L);
    }

    @Test
    void unsupportedCombinationsFailClearly() {
        assertThat(waitFor.run(ModuleTestSupport.local(), args("port", 1, "search_regex", "x")).msg())
                .startsWith("search_regex is only supported with path");
        assertThat(waitFor.run(ModuleTestSupport.local(), args("port", 1, "state", "drained")).msg())
                .startsWith("state=drained is not supported");
    }

    @Test
    void thePortProbeIsAFixedScriptWithPositionalArguments() {
        assertThat(WaitForModule.portArgv("db.internal", 5432, 5))
                .containsExactly("/bin/sh", "-c", WaitForModule.PORT_SCRIPT, "wait_for", "db.internal", "5432", "5");
    }
}
