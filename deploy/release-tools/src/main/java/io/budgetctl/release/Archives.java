package io.budgetctl.release;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Tar archives as release artifacts: entries sorted by name, owned by 0:0, one fixed mtime, modes kept (0755 for
 * executables, 0644 otherwise), so the same inputs give the same bytes and the same checksum.
 */
public final class Archives {

  private Archives() {
  }

  /** Packs every file under dir as root/relative-path into out (gzip when out ends in .gz or .tgz). */
  public static Path tar(Path dir, String root, Path out, Instant mtime) {
    List<Path> files;
    try (Stream<Path> all = Files.walk(dir)) {
      files = all.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new ReleaseException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    boolean gzip = out.toString().endsWith(".gz") || out.toString().endsWith(".tgz");
    try {
      Files.createDirectories(out.toAbsolutePath().getParent());
      try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16);
           OutputStream stream = gzip ? new GzipCompressorOutputStream(file) : file;
           TarArchiveOutputStream tar = new TarArchiveOutputStream(stream)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (Path f : files) {
          String name = root + "/" + dir.relativize(f).toString().replace('\\', '/');
          TarArchiveEntry entry = new TarArchiveEntry(name);
          entry.setSize(Files.size(f));
          entry.setMode(executable(f) ? 0100755 : 0100644);
          entry.setLastModifiedTime(FileTime.from(mtime));
          entry.setIds(0, 0);
          entry.setNames("root", "root");
          tar.putArchiveEntry(entry);
          Files.copy(f, tar);
          tar.closeArchiveEntry();
        }
        tar.finish();
      }
    } catch (IOException e) {
      throw new ReleaseException("cannot write " + out + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static boolean executable(Path f) throws IOException {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
      return perms.contains(PosixFilePermission.OWNER_EXECUTE);
    } catch (UnsupportedOperationException e) {
      return Files.isExecutable(f);
    }
  }
}
