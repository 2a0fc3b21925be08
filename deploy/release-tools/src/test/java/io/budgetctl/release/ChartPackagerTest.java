package io.budgetctl.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartPackagerTest {

  @TempDir
  Path tmp;

  @Test
  void theChartIsPackagedInHelmsLayoutWithTheReleaseVersion() throws Exception {
    // when
    Path tgz = ChartPackager.packageChart(Path.of("..", "chart", "itbm"), "v2.7.1", tmp.resolve("out"));
    // then
    assertThat(tgz.getFileName().toString()).isEqualTo("itbm-2.7.1.tgz");
    String listing = BundlesTest.sh(tmp, "tar", "tzf", tgz.toString());
    assertThat(listing).contains("itbm/Chart.yaml", "itbm/values.yaml", "itbm/values.schema.json",
        "itbm/templates/migrate-job.yaml").doesNotContain("itbm/ci/");
    Path x = Files.createDirectories(tmp.resolve("x"));
    BundlesTest.sh(x, "tar", "xzf", tgz.toString());
    assertThat(Files.readString(x.resolve("itbm/Chart.yaml"))).contains("version: 2.7.1", "appVersion: v2.7.1");
    // and the source chart is untouched
    assertThat(Files.readString(Path.of("..", "chart", "itbm", "Chart.yaml"))).doesNotContain("2.7.1");
  }

  @Test
  void aMissingChartIsNamed() {
    assertThatThrownBy(() -> ChartPackager.packageChart(tmp, "v1.0.0", tmp)).hasMessageContaining("has no Chart.yaml");
  }
}
