package io.budgetctl.release;

import java.util.List;

/** What a release tells people: version, where the artifacts are, the changelog section. */
public record Announcement(String version, String releaseUrl, String changelog, List<String> artifacts) {
  public Announcement {
    Bundles.requireVersion(version);
    artifacts = List.copyOf(artifacts);
  }

  String subject() {
    return "IT Budget Manager " + version + " released";
  }

  String body() {
    StringBuilder sb = new StringBuilder(subject()).append('\n');
    if (releaseUrl != null && !releaseUrl.isBlank()) {
      sb.append(releaseUrl).append('\n');
    }
    sb.append('\n').append(changelog.strip()).append('\n');
    if (!artifacts.isEmpty()) {
      sb.append("\nArtifacts:\n");
      artifacts.forEach(a -> sb.append("- ").append(a).append('\n'));
    }
    return sb.toString();
  }
}
