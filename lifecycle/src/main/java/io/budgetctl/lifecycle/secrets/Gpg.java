package io.budgetctl.lifecycle.secrets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * PGP through the {@code gpg} binary, as sops itself does it: the data key is decrypted with {@code gpg --decrypt}
 * and encrypted with {@code gpg --encrypt -r FINGERPRINT}; GNUPGHOME and the agent are gpg's business. The binary is
 * {@code gpg} or {@code $SOPS_GPG_EXEC}. Argument lists are built here and nowhere else.
 */
final class Gpg {
    private static final long TIMEOUT_SECONDS = 120;
    private final SecretsEnv env;

    Gpg(SecretsEnv env) {
        this.env = env;
    }

    String binary() {
        return env.get("SOPS_GPG_EXEC").orElse("gpg");
    }

    List<String> decryptArgv() {
        return List.of(binary(), "--batch", "--no-tty", "--quiet", "--yes", "--decrypt");
    }

    List<String> encryptArgv(String fingerprint) {
        return List.of(binary(), "--batch", "--no-tty", "--quiet", "--yes", "--armor", "--trust-model", "always",
                "--encrypt", "-r", fingerprint);
    }

    /** Output and exit status of one gpg run. */
    record Run(int exit, byte[] stdout, String stderr) {
    }

    byte[] decrypt(String armored) throws GpgException {
        Run r = run(decryptArgv(), armored.getBytes(StandardCharsets.US_ASCII));
        if (r.exit() != 0) {
            throw new GpgException("gpg --decrypt failed (exit " + r.exit() + "): " + lastLine(r.stderr()));
        }
        return r.stdout();
    }

    String encrypt(String fingerprint, byte[] plaintext) throws GpgException {
        Run r = run(encryptArgv(fingerprint), plaintext);
        if (r.exit() != 0) {
            throw new GpgException("gpg --encrypt -r " + fingerprint + " failed (exit " + r.exit() + "): "
                    + lastLine(r.stderr()));
        }
        return new String(r.stdout(), StandardCharsets.US_ASCII);
    }

    static final class GpgException extends Exception {
        private static final long serialVersionUID = 1L;

        GpgException(String message) {
            super(message);
        }
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        List<String> useful = new ArrayList<>();
        for (String l : lines) {
            if (!l.isBlank()) {
                useful.add(l.strip());
            }
        }
        return useful.isEmpty() ? "(no message)" : String.join("; ", useful.subList(Math.max(0,
                useful.size() - 2), useful.size()));
    }

    private Run run(List<String> argv, byte[] stdin) throws GpgException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        Map<String, String> penv = pb.environment();
        env.get("GNUPGHOME").ifPresent(h -> penv.put("GNUPGHOME", h));
        if (!env.variables().containsKey("GNUPGHOME")) {
            penv.remove("GNUPGHOME");
        }
        penv.put("HOME", env.home().toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new GpgException("cannot run " + argv.get(0) + ": " + e.getMessage());
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // gpg exited early; its stderr says why
        }
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new GpgException(argv.get(0) + " did not finish in " + TIMEOUT_SECONDS
                        + "s (waiting for a passphrase? run gpg-agent with a pinentry)");
            }
            return new Run(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new GpgException("interrupted while waiting for gpg");
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
