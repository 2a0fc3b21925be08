package io.budgetctl.cli.differential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (true) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                    return;
                } catch (IOException e) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        close();
                        throw new IllegalStateException("http.server did not start on port " + port + "; see " + log);
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(ie);
                    }
                }
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
