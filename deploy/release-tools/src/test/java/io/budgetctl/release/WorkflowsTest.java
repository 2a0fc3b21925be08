package io.budgetctl.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workflow files cannot run here; they must at least parse and call the scripts a person calls. */
class WorkflowsTest {

  private static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
  private static final YAMLMapper YAML = (YAMLMapper) new YAMLMapper()
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  @TempDir
  Path tmp;

  static JsonNode read(Path p) throws IOException {
    return YAML.readTree(p.toFile());
  }

  static List<String> runs(JsonNode workflow) {
    List<String> out = new ArrayList<>();
    workflow.path("jobs").forEach(job -> job.path("steps").forEach(step -> {
      if (step.has("run")) {
        out.add(step.get("run").asText());
      }
      assertThat(step.has("run") || step.has("uses")).as(step.toString()).isTrue();
    }));
    return out;
  }

  @Test
  void ciRunsTheReadmesTestCommandOnPushAndPullRequest() throws IOException {
    // given
    JsonNode ci = read(ROOT.resolve(".github/workflows/ci.yml"));
    String readme = Files.readString(ROOT.resolve("README.md"));
    // then
    assertThat(ci.path("on").has("push")).isTrue();
    assertThat(ci.path("on").has("pull_request")).isTrue();
    assertThat(readme).contains("scripts/test ");
    assertThat(runs(ci)).anySatisfy(r -> assertThat(r).contains("scripts/test"));
    assertThat(ROOT.resolve("scripts/test")).isExecutable();
  }

  @Test
  void releaseRunsOnVersionTagsThroughTheSameScriptsAndCreatesTheGithubRelease() throws IOException {
    JsonNode release = read(ROOT.resolve(".github/workflows/release.yml"));
    assertThat(release.path("on").path("push").path("tags").get(0).asText()).isEqualTo("v*");
    assertThat(release.path("permissions").path("contents").asText()).isEqualTo("write");
    String all = String.join("\n", runs(release));
    assertThat(all).contains("scripts/test", "scripts/release \"$VERSION\"", "scripts/offline-bundle \"$VERSION\"",
        "gh release create", "--notes-file \"$OUT/CHANGELOG-$VERSION.md\"", "docker login", "--password-stdin");
    // secrets come in through env, never pasted into a command line
    assertThat(all).doesNotContain("${{ secrets.");
    for (String script : List.of("scripts/release", "scripts/offline-bundle")) {
      assertThat(ROOT.resolve(script)).isExecutable();
    }
  }

  /** A template with YAML anchors (*install ...), read as GitHub reads it: aliases expanded. */
  static JsonNode readWithAliases(Path p) throws IOException {
    Object doc = new org.snakeyaml.engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
        .loadFromString(Files.readString(p));
    return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(doc);
  }

  @Test
  void theDeploymentsRepositoryTemplateValidatesPlansOnPullRequestsAppliesOnMergeAndWatchesDaily() throws IOException {
    JsonNode t = readWithAliases(ROOT.resolve("docs/templates/deployments-repo-ci.yml"));
    assertThat(t.path("on").has("pull_request")).isTrue();
    assertThat(t.path("on").path("schedule").get(0).path("cron").asText()).isNotBlank();
    assertThat(t.path("jobs").path("plan").path("needs").asText()).isEqualTo("validate");
    assertThat(t.path("jobs").path("apply").path("concurrency").path("cancel-in-progress").asBoolean()).isFalse();
    String all = String.join("\n", runs(t));
    assertThat(all).contains("budgetctl validate --all", "budgetctl plan --client", "budgetctl fleet apply --clients",
        "budgetctl fleet status --all", "sha256sum -c", "https://github.com/");
    // secrets and event data come in through env, never pasted into a script
    assertThat(all).doesNotContain("${{");
    JsonNode m = readWithAliases(ROOT.resolve("docs/templates/deployments-repo-ci-matrix.yml"));
    assertThat(m.path("jobs").path("deploy").path("strategy").path("max-parallel").asInt()).isPositive();
    assertThat(String.join("\n", runs(m))).doesNotContain("${{").contains("budgetctl deploy --client \"$CLIENT\"");
  }

  @Test
  void aBrokenWorkflowFileIsCaught() throws IOException {
    // given the kind of mistake this test exists for: a duplicated key and a tab-indented line
    Path broken = Files.writeString(tmp.resolve("broken.yml"), "on:\n  push: {}\n  push: {}\njobs: {}\n");
    Path tabs = Files.writeString(tmp.resolve("tabs.yml"), "jobs:\n\tbuild: {}\n");
    // when / then
    assertThatThrownBy(() -> read(broken)).hasMessageContaining("push");
    assertThatThrownBy(() -> read(tabs)).isInstanceOf(IOException.class);
  }
}
