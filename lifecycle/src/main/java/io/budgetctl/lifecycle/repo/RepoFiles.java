package io.budgetctl.lifecycle.repo;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Writing files of the deployments repository (SOPS files, client files, licences) so no reader sees half a file. */
public final class RepoFiles {
    private RepoFiles() {
    }

    /**
     * Replaces {@code file} with {@code content}: a temporary file beside it, then one rename, so a reader sees the
     * old or the new file. An existing file keeps its permissions; a new one gets the temporary file's (0600).
     */
    public static void replace(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Set<PosixFilePermission> perms = Files.exists(file) ? Files.getPosixFilePermissions(file) : null;
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, content);
            if (perms != null) {
                Files.setPosixFilePermissions(tmp, perms);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
