package io.budgetctl.release;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SHA256SUMS in the format sha256sum writes and {@code sha256sum -c} reads: {@code <hex>  <name>} per line. */
public final class Checksums {

  private Checksums() {
  }

  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new ReleaseException("cannot read " + file + " for its checksum: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes dir/SHA256SUMS for the given files (names relative to dir, in the order given). */
  public static Path write(Path dir, List<Path> files) {
    StringBuilder sb = new StringBuilder();
    for (Path f : files) {
      Path abs = dir.resolve(f).toAbsolutePath().normalize();
      String name = dir.toAbsolutePath().normalize().relativize(abs).toString();
      sb.append(sha256(abs)).append("  ").append(name).append('\n');
    }
    Path sums = dir.resolve("SHA256SUMS");
    try {
      Files.writeString(sums, sb.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ReleaseException("cannot write " + sums + ": " + e.getMessage(), e);
    }
    return sums;
  }

  /** Every line of SHA256SUMS checked against the file next to it; returns the names checked, throws on the first bad one. */
  public static List<String> verify(Path sums) {
    Path dir = sums.toAbsolutePath().getParent();
    Map<String, String> expected = new LinkedHashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(sums, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ReleaseException("cannot read " + sums + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      if (!line.matches("[0-9a-f]{64} [ *].+")) {
        throw new ReleaseException(sums + ":" + (i + 1) + ":1: not '<sha256>  <file>' (hint: write it with sha256sum)");
      }
      expected.put(line.substring(66), line.substring(0, 64));
    }
    List<String> checked = new ArrayList<>();
    for (Map.Entry<String, String> e : expected.entrySet()) {
      Path f = dir.resolve(e.getKey()).normalize();
      if (!f.startsWith(dir)) {
        throw new ReleaseException(sums + ": " + e.getKey() + " points outside " + dir);
      }
      if (!Files.isRegularFile(f)) {
        throw new ReleaseException(e.getKey() + " is listed in " + sums + " but missing (hint: copy the whole bundle)");
      }
      String actual = sha256(f);
      if (!actual.equals(e.getValue())) {
        throw new ReleaseException(e.getKey() + ": checksum mismatch (expected " + e.getValue() + ", got " + actual
            + "); the file is corrupt or was changed - download it again");
      }
      checked.add(e.getKey());
    }
    return checked;
  }
}
