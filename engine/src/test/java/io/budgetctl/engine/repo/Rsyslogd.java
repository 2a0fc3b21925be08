package io.budgetctl.engine.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's rsyslogd (scripts/setup installs rsyslog and rsyslog-gnutls) in the foreground with the inputs a test
 * gives it, writing what it parsed (PRI, APP-NAME, MSGID and the message) to {@code received.log} in its directory.
 */
final class Rsyslogd implements AutoCloseable {
    private final Path dir;
    private final Process process;

    /** Starts rsyslogd with {@code config} (global, module and input lines) and waits until {@code tcpPort} answers. */
    Rsyslogd(Path dir, String config, int tcpPort) throws Exception {
        this.dir = dir;
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, config + """

                template(name="fields" type="string" string="%%pri%% %%app-name%% %%msgid%% %%msg%%\\n")
                *.* action(type="omfile" file="%1$s/received.log" template="fields")
                """.formatted(dir));
        process = new ProcessBuilder("rsyslogd", "-n", "-f", conf.toString(), "-i", dir.resolve("rsyslog.pid")
                .toString()).redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcpPort), 500);
                return;
            } catch (IOException notYet) {
                assertThat(process.isAlive()).as("rsyslogd runs: " + out()).isTrue();
                assertThat(System.nanoTime()).as("rsyslogd listens in time: " + out()).isLessThan(until);
                Thread.sleep(100);
            }
        }
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** rsyslogd's own output (errors about its configuration, TLS sessions it refused). */
    String out() {
        try {
            return Files.readString(dir.resolve("rsyslogd.out"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The collector's lines, waiting up to {@code seconds} for {@code n} of them. */
    List<String> received(int n, int seconds) throws Exception {
        Path f = dir.resolve("received.log");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            List<String> lines = Files.exists(f) ? Files.readAllLines(f) : List.of();
            if (lines.size() >= n || System.nanoTime() > until) {
                return lines;
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
