package io.budgetctl.release;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** helm package (in-process, helm-java) of a copy of the chart with version and appVersion set to the release. */
public final class ChartPackager {

  private ChartPackager() {
  }

  public static Path packageChart(Path chartDir, String version, Path out) {
    Bundles.requireVersion(version);
    if (!Files.isRegularFile(chartDir.resolve("Chart.yaml"))) {
      throw new ReleaseException(chartDir + " has no Chart.yaml (hint: --chart deploy/chart/itbm)");
    }
    Path stage = null;
    try {
      stage = Files.createTempDirectory("itbm-chart");
      Path copy = stage.resolve(chartDir.getFileName());
      Bundles.copyTree(chartDir, copy);
      Path chartYaml = copy.resolve("Chart.yaml");
      String text = Files.readString(chartYaml, StandardCharsets.UTF_8);
      text = text.replaceAll("(?m)^version:.*$", "version: " + version.substring(1))
          .replaceAll("(?m)^appVersion:.*$", "appVersion: \"" + version + "\"");
      Files.writeString(chartYaml, text, StandardCharsets.UTF_8);
      Files.createDirectories(out);
      new Helm(copy).packageIt().withDestination(out.toAbsolutePath()).call();
      Path tgz = out.resolve(copy.getFileName() + "-" + version.substring(1) + ".tgz");
      if (!Files.isRegularFile(tgz)) {
        throw new ReleaseException("helm package did not write " + tgz);
      }
      return tgz;
    } catch (IOException e) {
      throw new ReleaseException("cannot package the chart: " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new ReleaseException("helm package failed: " + e.getMessage().strip().replace('\n', ' '), e);
    } finally {
      if (stage != null) {
        Bundles.deleteTree(stage);
      }
    }
  }
}
