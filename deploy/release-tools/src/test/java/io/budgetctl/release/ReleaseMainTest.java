package io.budgetctl.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseMainTest {

  @TempDir
  Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return ReleaseMain.run(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(), args);
  }

  @Test
  void noArgumentsIsAUsageErrorWithTheUsageOnStderr() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("usage: release-tools COMMAND");
  }

  @Test
  void aMissingOptionIsNamed() {
    assertThat(run("chart", "--version", "v1.0.0")).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("release-tools: --chart is required (see --help)\n");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    assertThat(run("publish")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown command 'publish'");
  }

  @Test
  void aFailedStepExitsOneWithOneLine() {
    assertThat(run("verify", tmp.resolve("SHA256SUMS").toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith("release-tools verify: cannot read").hasLineCount(1);
  }

  @Test
  void sumsThenVerifyRoundTrips() throws Exception {
    Files.writeString(tmp.resolve("a.tgz"), "a");
    assertThat(run("sums", "--dir", tmp.toString(), "a.tgz")).isZero();
    assertThat(run("verify", tmp.resolve("SHA256SUMS").toString())).isZero();
    assertThat(out.toString()).contains("a.tgz: OK");
  }

  @Test
  void notifyWithNothingConfiguredSkipsBothAndSucceeds() throws Exception {
    Path c = Files.writeString(tmp.resolve("c.md"), "## v1.0.0\n");
    assertThat(run("notify", "--version", "v1.0.0", "--changelog", c.toString())).isZero();
    assertThat(out.toString()).contains("no Slack webhook configured, skipped", "no mail list configured, skipped");
  }
}
