package io.budgetctl.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The few git questions the release asks, each one argv list (no shell). */
final class Git {
  private final Path repo;

  Git(Path repo) {
    this.repo = repo;
  }

  /**
   * The newest v* tag reachable from ref (includingRef) or from its parents only (the release before a tagged ref);
   * empty when there is none, i.e. for the first release.
   */
  Optional<String> previousTag(String ref, boolean includingRef) {
    Run r = run(List.of("git", "describe", "--tags", "--abbrev=0", "--match", "v[0-9]*", includingRef ? ref : ref + "^"));
    return r.code == 0 ? Optional.of(r.out.strip()) : Optional.empty();
  }

  boolean refExists(String ref) {
    return run(List.of("git", "rev-parse", "--verify", "--quiet", ref + "^{commit}")).code == 0;
  }

  /** Non-merge commits in (from, to], oldest first; from empty means from the first commit. */
  List<Commit> commits(Optional<String> from, String to) {
    String range = from.map(f -> f + ".." + to).orElse(to);
    Run r = run(List.of("git", "log", "--no-merges", "--reverse", "--format=%H%x1f%an%x1f%s%x1f%b%x1e", range));
    if (r.code != 0) {
      throw new ReleaseException("git log " + range + " failed in " + repo + ": " + r.err.strip()
          + " (hint: is the tag fetched? git fetch --tags)");
    }
    List<Commit> out = new ArrayList<>();
    for (String rec : r.out.split("\u001e")) {
      String s = rec.strip();
      if (s.isEmpty()) {
        continue;
      }
      String[] f = s.split("\u001f", -1);
      out.add(new Commit(f[0], f[1], f[2], f.length > 3 ? f[3].strip() : ""));
    }
    return out;
  }

  record Commit(String sha, String author, String subject, String body) {
  }

  private record Run(int code, String out, String err) {
  }

  private Run run(List<String> argv) {
    try {
      Process p = new ProcessBuilder(argv).directory(repo.toFile()).start();
      p.getOutputStream().close();
      byte[] err;
      byte[] out = p.getInputStream().readAllBytes();
      err = p.getErrorStream().readAllBytes();
      return new Run(p.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ReleaseException("cannot run git in " + repo + ": " + e.getMessage() + " (hint: install git)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReleaseException("interrupted while running git", e);
    }
  }
}
