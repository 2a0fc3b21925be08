package io.budgetctl.release.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The chart under test and the helm-java calls the tests make on it. */
final class Chart {

  static final Path DIR = Path.of("..", "chart", "itbm").toAbsolutePath().normalize();
  static final Path CI_VALUES = DIR.resolve("ci");

  private Chart() {
  }

  static List<Path> ciValuesFiles() {
    try (Stream<Path> files = Files.list(CI_VALUES)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String template(Path valuesFile) {
    return new Helm(DIR).template().withName("acme").withNamespace("itbm-acme").withKubeVersion("1.30.0").withValuesFile(valuesFile).call();
  }

  /** The annotation key hook templates get in {@link #templateWithHooks}: Helm then renders them as plain manifests. */
  static final String UNHOOKED = "unhooked.budgetctl.io/hook";

  /**
   * Renders hooks too. helm-java's template returns the release manifest only, and Helm keeps every object annotated
   * {@code helm.sh/hook} out of it (the CLI prints hooks separately, helm-java does not). So render a copy of the chart
   * whose {@code helm.sh/hook*} annotation keys are renamed to {@link #UNHOOKED}{@code *}; nothing else changes.
   */
  static String templateWithHooks(Path valuesFile, Path scratch) {
    try {
      Path copy = scratch.resolve("unhooked").resolve("itbm");
      copyTree(DIR, copy);
      try (Stream<Path> templates = Files.list(copy.resolve("templates"))) {
        for (Path t : (Iterable<Path>) templates::iterator) {
          Files.writeString(t, Files.readString(t).replace("helm.sh/hook", UNHOOKED));
        }
      }
      return new Helm(copy).template().withName("acme").withNamespace("itbm-acme").withKubeVersion("1.30.0")
          .withValuesFile(valuesFile).call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * helm-java's lint takes no values file, so lint a copy of the chart whose values.yaml is the chart's defaults with
   * the given file merged over them (Helm's own coalescing: maps merge, everything else is replaced).
   */
  static LintResult lint(Path valuesFile, Path scratch) {
    try {
      Path copy = scratch.resolve("itbm");
      copyTree(DIR, copy);
      YAMLMapper yaml = new YAMLMapper();
      JsonNode defaults = yaml.readTree(DIR.resolve("values.yaml").toFile());
      JsonNode overlay = yaml.readTree(valuesFile.toFile());
      yaml.writeValue(copy.resolve("values.yaml").toFile(), merge((ObjectNode) defaults, overlay));
      return new Helm(copy).lint().strict().call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static LintResult lintDefaults() {
    return new Helm(DIR).lint().call();
  }

  static ObjectNode merge(ObjectNode base, JsonNode overlay) {
    if (overlay == null || !overlay.isObject()) {
      return base;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = overlay.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = base.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue().isObject()) {
        merge(o, e.getValue());
      } else {
        base.set(e.getKey(), e.getValue());
      }
    }
    return base;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
