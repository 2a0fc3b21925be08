package io.budgetctl.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Repository paths and a small model of what docker-compose does with the file: .env, interpolation, YAML merge keys. */
final class ComposeFiles {
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Z0-9_]+)(?:(:-|:\\?)([^}]*))?}");

  private ComposeFiles() {}

  static Path repo() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("deploy/compose"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find deploy/compose above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  static Path bundle() {
    return repo().resolve("deploy/compose");
  }

  static Map<String, String> dotenv(Path file) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int eq = l.indexOf('=');
      env.put(l.substring(0, eq), l.substring(eq + 1));
    }
    return env;
  }

  /** ${X}, ${X:-default} and ${X:?message} as Compose does; $$ stays a literal $. */
  static String interpolate(String text, Map<String, String> env) {
    StringBuilder out = new StringBuilder();
    Matcher m = VAR.matcher(text.replace("$$", "\u0000"));
    while (m.find()) {
      String value = env.get(m.group(1));
      boolean empty = value == null || value.isEmpty();
      String replacement;
      if (":-".equals(m.group(2))) {
        replacement = empty ? m.group(3) : value;
      } else if (":?".equals(m.group(2))) {
        if (empty) {
          throw new IllegalArgumentException("required variable " + m.group(1) + ": " + m.group(3));
        }
        replacement = value;
      } else {
        replacement = value == null ? "" : value;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString().replace("\u0000", "$$");
  }

  static JsonNode load(String yaml) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    Object tree = new Yaml(options).load(yaml);
    return new ObjectMapper().valueToTree(tree);
  }
}
