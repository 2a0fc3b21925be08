package io.budgetctl.release;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The changelog section of one release, from the commits since the previous v* tag.
 *
 * <p>Rules: merge commits are left out; a Conventional Commits subject ({@code type(scope)!: text}) is grouped by
 * type; {@code !} or a {@code BREAKING CHANGE:} footer puts it under Breaking changes as well; any other subject goes
 * to Other changes unchanged; {@code chore(release)} commits and subjects with {@code [skip changelog]} are dropped.
 */
public final class Changelog {

  enum Group {
    BREAKING("Breaking changes"), FEATURES("Features"), FIXES("Fixes"), PERFORMANCE("Performance"),
    SECURITY("Security"), DOCS("Documentation"), BUILD("Build and CI"), OTHER("Other changes");

    final String title;

    Group(String title) {
      this.title = title;
    }
  }

  private static final Pattern CONVENTIONAL =
      Pattern.compile("^(?<type>[a-zA-Z]+)(?:\\((?<scope>[^)]+)\\))?(?<bang>!)?:\\s*(?<text>.+)$");

  private final Git git;

  public Changelog(Path repo) {
    this.git = new Git(repo);
  }

  /** Markdown section for tag (which may not exist yet: then HEAD is released under that name). */
  public String section(String version, LocalDate date) {
    boolean tagged = git.refExists(version);
    String to = tagged ? version : "HEAD";
    // a tag that exists is compared with the one before it; an untagged HEAD with the newest tag it contains
    Optional<String> previous = git.previousTag(to, !tagged);
    Map<Group, List<String>> groups = group(git.commits(previous, to));
    StringBuilder md = new StringBuilder();
    md.append("## ").append(version).append(" (").append(date).append(")\n\n");
    if (groups.isEmpty()) {
      md.append("No changes since ").append(previous.orElse("the first commit")).append(".\n");
      return md.toString();
    }
    for (Map.Entry<Group, List<String>> e : groups.entrySet()) {
      md.append("### ").append(e.getKey().title).append("\n\n");
      for (String line : e.getValue()) {
        md.append("- ").append(line).append('\n');
      }
      md.append('\n');
    }
    md.append(previous.map(p -> "Changes since " + p + ".\n").orElse("First release.\n"));
    return md.toString();
  }

  static Map<Group, List<String>> group(List<Git.Commit> commits) {
    Map<Group, List<String>> out = new EnumMap<>(Group.class);
    for (Git.Commit c : commits) {
      String subject = c.subject().strip();
      if (subject.contains("[skip changelog]")) {
        continue;
      }
      String shortSha = c.sha().substring(0, Math.min(7, c.sha().length()));
      Matcher m = CONVENTIONAL.matcher(subject);
      Group group = Group.OTHER;
      String text = subject;
      boolean breaking = c.body().contains("BREAKING CHANGE:") || c.body().contains("BREAKING-CHANGE:");
      if (m.matches()) {
        String type = m.group("type").toLowerCase(Locale.ROOT);
        if (type.equals("chore") && "release".equals(m.group("scope"))) {
          continue;
        }
        group = switch (type) {
          case "feat" -> Group.FEATURES;
          case "fix" -> Group.FIXES;
          case "perf" -> Group.PERFORMANCE;
          case "security", "sec" -> Group.SECURITY;
          case "docs" -> Group.DOCS;
          case "build", "ci" -> Group.BUILD;
          default -> Group.OTHER;
        };
        breaking |= m.group("bang") != null;
        text = (m.group("scope") != null ? "**" + m.group("scope") + ":** " : "") + m.group("text");
      }
      String line = text + " (" + shortSha + ")";
      if (breaking) {
        out.computeIfAbsent(Group.BREAKING, g -> new ArrayList<>()).add(line);
      }
      out.computeIfAbsent(group, g -> new ArrayList<>()).add(line);
    }
    return out;
  }
}
