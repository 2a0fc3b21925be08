package io.budgetctl.engine.ssh.agent;

import static io.budgetctl.engine.testkit.Polling.poll;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A real OpenSSH {@code ssh-agent -D -a <socket>} for one test, with keys made by {@code ssh-keygen} and added with
 * {@code ssh-add}. Close it to stop the agent (only the process this helper started).
 */
public final class TestAgent implements AutoCloseable {
    private final Path socket;
    private final Process process;

    private TestAgent(Path socket, Process process) {
        this.socket = socket;
        this.process = process;
    }

    /** Starts an agent listening on {@code dir/agent.sock}; waits until the socket exists. */
    public static TestAgent start(Path dir) throws IOException, InterruptedException {
        Path sock = dir.resolve("agent.sock");
        Process p = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        try {
            poll("ssh-agent's socket " + sock, Duration.ofSeconds(20), Duration.ofMillis(20))
                    .failFast("ssh-agent exited", () -> !p.isAlive())
                    .until(() -> Files.exists(sock));
        } catch (ConditionTimeoutException | TerminalFailureException notStarted) {
            p.destroy();
            throw new IllegalStateException("ssh-agent did not start: "
                    + Files.readString(dir.resolve("agent.log"), StandardCharsets.UTF_8), notStarted);
        }
        return new TestAgent(sock, p);
    }

    public Path socket() {
        return socket;
    }

    /** Adds a private key file to the agent ({@code ssh-add}). */
    public void add(Path key) throws IOException, InterruptedException {
        run(List.of("ssh-add", "-q", key.toString()));
    }

    /** Removes every key from the agent ({@code ssh-add -D}). */
    public void removeAll() throws IOException, InterruptedException {
        run(List.of("ssh-add", "-q", "-D"));
    }

    private void run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SSH_AUTH_SOCK", socket.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " failed: " + out);
        }
    }

    /**
     * Generates an unencrypted key with {@code ssh-keygen} (type ed25519, rsa or ecdsa) at {@code dir/name}, with
     * {@code name} as its comment.
     */
    public static Path keygen(Path dir, String type, String name) throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name,
                "-f", key.toString()));
        if (type.equals("rsa")) {
            cmd.addAll(List.of("-b", "2048"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ssh-keygen failed: " + out);
        }
        return key;
    }

    /** The public key blob of {@code key.pub}, as ssh-keygen wrote it (base64 field two). */
    public static byte[] publicBlob(Path key) throws IOException {
        String line = Files.readString(key.resolveSibling(key.getFileName() + ".pub"), StandardCharsets.UTF_8);
        return Base64.getDecoder().decode(line.strip().split("\\s+")[1]);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
