package io.budgetctl.itbm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The build's version and the schema version it expects. One source tree builds every release: the migrations of all
 * versions live in the source and APP_VERSION (baked into the image) decides how far {@code migrate} goes and what
 * {@code /readyz} requires. v1.3.x expects schema 2, v1.4.x (and later, and dev builds) expects schema 3.
 */
record AppVersion(String appVersion, String gitSha, int expectedSchema) {
  static final int LATEST_SCHEMA = 3;
  private static final Pattern SEMVER = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)(?:[-+].*)?");

  static AppVersion of(String appVersion, String gitSha) {
    String v = appVersion == null || appVersion.isBlank() ? "dev" : appVersion.trim();
    String sha = gitSha == null || gitSha.isBlank() ? "unknown" : gitSha.trim();
    if (v.equals("dev")) {
      return new AppVersion(v, sha, LATEST_SCHEMA);
    }
    Matcher m = SEMVER.matcher(v);
    if (!m.matches()) {
      throw new ConfigException("APP_VERSION '" + v + "' is not vX.Y.Z (or 'dev')");
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    if (major < 1 || (major == 1 && minor < 3)) {
      throw new ConfigException("APP_VERSION " + v + " is older than v1.3.0, the first release this build can produce");
    }
    int schema = (major == 1 && minor == 3) ? 2 : 3;
    return new AppVersion(v.startsWith("v") ? v : "v" + v, sha, schema);
  }

  /** Features that arrived with schema 3 (v1.4.0): expense categories. */
  boolean hasCategories() {
    return expectedSchema >= 3;
  }
}
