package io.budgetctl.lifecycle.secrets;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * {@code secrets edit}: decrypts to a file only the user can read (0600, in a 0700 directory), runs the editor on it,
 * re-encrypts with the same data key if the text changed, and overwrites the plaintext with zeros before deleting it,
 * whatever happened.
 */
public final class SopsEditor {
    /** Runs an editor on a file and returns its exit status. */
    @FunctionalInterface
    public interface Editor {
        int edit(Path file) throws IOException, InterruptedException;
    }

    /** What an edit did. */
    public enum Outcome { CHANGED, UNCHANGED }

    private final Sops sops;

    public SopsEditor(Sops sops) {
        this.sops = sops;
    }

    /** {@code $EDITOR} (may carry arguments, e.g. "code --wait"), else vi, on the terminal of this process. */
    public static Editor fromEnv(SecretsEnv env) {
        String editor = env.get("EDITOR").or(() -> env.get("VISUAL")).orElse("vi");
        return file -> new ProcessBuilder(argv(editor, file)).inheritIO().start().waitFor();
    }

    /** {@code sh -c '<EDITOR> "$1"' sh FILE}: the editor string is split by the shell, the file stays one word. */
    static List<String> argv(String editor, Path file) {
        return List.of("sh", "-c", editor + " \"$1\"", "sh", file.toString());
    }

    public Outcome edit(Path file, Editor editor, boolean ignoreMissingMac) {
        SopsDocument doc = sops.decrypt(file, ignoreMissingMac);
        String before = doc.plaintext();
        Path dir = null;
        Path tmp = null;
        try {
            dir = Files.createTempDirectory("budgetctl-edit-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            tmp = dir.resolve(file.getFileName().toString());
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, before, StandardCharsets.UTF_8);
            int status;
            try {
                status = editor.edit(tmp);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException(SourceLocation.of(file.toString()), "interrupted while editing", null);
            }
            if (status != 0) {
                throw new EngineException(SourceLocation.of(file.toString()), "the editor exited with status "
                        + status + "; the file was not changed", "check $EDITOR (it must wait until you close the "
                        + "file, e.g. EDITOR='code --wait')");
            }
            String after = Files.readString(tmp, StandardCharsets.UTF_8);
            if (after.equals(before)) {
                return Outcome.UNCHANGED;
            }
            sops.reencrypt(doc, after);
            return Outcome.CHANGED;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            shred(tmp);
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    // a leftover empty private directory is harmless
                }
            }
        }
    }

    /** Overwrites the file with zeros (synced to disk), then deletes it. */
    static void shred(Path f) {
        if (f == null || !Files.exists(f)) {
            return;
        }
        try {
            long size = Files.size(f);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                byte[] zeros = new byte[8192];
                for (long left = size; left > 0; left -= zeros.length) {
                    out.write(zeros, 0, (int) Math.min(zeros.length, left));
                }
                ch.force(true);
            }
            Files.delete(f);
        } catch (IOException e) {
            throw new UncheckedIOException("could not shred " + f + "; delete it by hand", e);
        }
    }
}
