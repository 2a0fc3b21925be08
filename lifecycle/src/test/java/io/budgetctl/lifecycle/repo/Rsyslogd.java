package io.budgetctl.lifecycle.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static io.budgetctl.engine.testkit.Polling.poll;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

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
        poll("rsyslogd listens on " + tcpPort, Duration.ofSeconds(20), Duration.ofMillis(100))
                .failFast(() -> assertThat(process.isAlive()).as("rsyslogd runs: " + out()).isTrue())
                .untilAsserted(() -> assertThat(listens(tcpPort)).as("rsyslogd listens in time: " + out()).isTrue());
    }

    private static boolean listens(int tcpPort) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcpPort), 500);
            return true;
        } catch (IOException notYet) {
            return false;
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

    /**
     * The collector's lines, waiting up to {@code seconds} for {@code n} of them. Fewer in time is no failure here:
     * the caller's assertion tells what is missing, and a test that expects nothing waits the whole time this way.
     */
    List<String> received(int n, int seconds) throws Exception {
        try {
            return poll("rsyslogd received " + n + " line(s)", Duration.ofSeconds(seconds), Duration.ofMillis(100))
                    .until(this::receivedNow, lines -> lines.size() >= n);
        } catch (ConditionTimeoutException fewer) {
            return receivedNow();
        }
    }

    private List<String> receivedNow() throws IOException {
        Path f = dir.resolve("received.log");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
