package io.budgetctl.engine.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Key pairs made by the real ssh-keygen for tests (our fixture, not our code). */
public final class SshKeys {
    private SshKeys() {
    }

    /** A fresh key pair of {@code type} (ed25519, ecdsa, rsa) in {@code dir}; returns the private key file. */
    public static Path generate(Path dir, String name, String type, String passphrase) throws IOException,
            InterruptedException {
        Path key = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C",
                "test@budgetctl", "-f", key.toString()));
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

    public static String text(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** {@code type base64} of the key's .pub file, without the comment. */
    public static String publicLine(Path key) throws IOException {
        String[] f = text(key.resolveSibling(key.getFileName() + ".pub")).strip().split("\\s+");
        return f[0] + " " + f[1];
    }

    /** ssh-keygen's own fingerprint of the key's .pub file ({@code SHA256:...}). */
    public static String fingerprint(Path key) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f",
                key.resolveSibling(key.getFileName() + ".pub").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out.split("\\s+")[1];
    }
}
