package io.budgetctl.cli.differential;

import static io.budgetctl.engine.testkit.Polling.poll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/** Loopback helpers a case can ask for: a python3 http.server over a directory, and a port nothing listens on. */
final class LocalFixtures {
    private LocalFixtures() {
    }

    /** A port that was free a moment ago on 127.0.0.1 (bound then released). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code python3 -m http.server} on 127.0.0.1; close() stops it. */
    static final class HttpServer implements AutoCloseable {
        final int port;
        private final Process process;

        HttpServer(Path root, Path log) {
            if (!Files.isDirectory(root)) {
                throw new IllegalArgumentException("http: true needs a www/ directory in the case: " + root);
            }
            this.port = freePort();
            try {
                process = new ProcessBuilder(List.of("python3", "-m", "http.server", "--bind", "127.0.0.1",
                        String.valueOf(port), "--directory", root.toString()))
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start python3 -m http.server", e);
            }
            try {
                poll("http.server on port " + port, Duration.ofSeconds(10), Duration.ofMillis(100))
                        .failFast("http.server exited", () -> !process.isAlive())
                        .until(() -> listens(port));
            } catch (ConditionTimeoutException | TerminalFailureException notStarted) {
                close();
                throw new IllegalStateException("http.server did not start on port " + port + "; see " + log,
                        notStarted);
            }
        }

        private static boolean listens(int port) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
