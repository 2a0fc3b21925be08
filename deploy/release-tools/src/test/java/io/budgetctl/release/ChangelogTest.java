package io.budgetctl.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangelogTest {

  @TempDir
  Path repo;

  private static final LocalDate DAY = LocalDate.of(2025, 3, 14);

  @BeforeEach
  void initRepository() throws Exception {
    git("init", "-q", "-b", "main");
    git("config", "user.email", "dev@example.com");
    git("config", "user.name", "Dev");
    git("config", "commit.gpgsign", "false");
    git("config", "tag.gpgsign", "false");
  }

  @Test
  void theSectionHoldsOnlyTheCommitsSinceThePreviousTagGroupedByType() throws Exception {
    // given
    commit("feat: budgets per cost centre");
    git("tag", "v1.3.2");
    commit("feat(api): expenses export as CSV");
    commit("fix: totals ignored the last day of the period");
    commit("docs: upgrade guide");
    commit("ci: cache Maven downloads");
    commit("Tidy the scheduler loop");
    commit("chore(release): v1.4.0 [bump]");
    commit("test: more cases [skip changelog]");
    // when
    String md = new Changelog(repo).section("v1.4.0", DAY);
    // then
    assertThat(md).startsWith("## v1.4.0 (2025-03-14)\n\n### Features\n\n- **api:** expenses export as CSV (");
    assertThat(md).doesNotContain("budgets per cost centre", "chore", "skip changelog", "[bump]");
    assertThat(sections(md)).containsExactly("Features", "Fixes", "Documentation", "Build and CI", "Other changes");
    assertThat(md).contains("- totals ignored the last day of the period (", "- Tidy the scheduler loop (")
        .endsWith("Changes since v1.3.2.\n");
  }

  @Test
  void breakingChangesAreListedFirstAndAlsoInTheirOwnGroup() throws Exception {
    // given
    commit("feat: first");
    git("tag", "v1.0.0");
    commit("feat!: licence v2 format");
    commit("fix: keep old sessions", "BREAKING CHANGE: sessions from 1.0 are dropped");
    // when
    String md = new Changelog(repo).section("v2.0.0", DAY);
    // then
    assertThat(sections(md)).containsExactly("Breaking changes", "Features", "Fixes");
    assertThat(md.substring(0, md.indexOf("### Features"))).contains("licence v2 format", "keep old sessions");
  }

  @Test
  void mergeCommitsAreLeftOutAndTheirBranchCommitsKept() throws Exception {
    // given
    commit("feat: base");
    git("tag", "v1.0.0");
    git("checkout", "-q", "-b", "topic");
    commit("fix: on a branch");
    git("checkout", "-q", "main");
    commit("feat: on main");
    git("merge", "-q", "--no-ff", "-m", "Merge branch 'topic'", "topic");
    // when
    String md = new Changelog(repo).section("v1.1.0", DAY);
    // then
    assertThat(md).contains("on a branch", "on main").doesNotContain("Merge branch");
  }

  @Test
  void anExistingTagIsDescribedAgainstTheTagBeforeIt() throws Exception {
    // given three releases, the middle one asked for after the newest exists
    commit("feat: one");
    git("tag", "v1.0.0");
    commit("feat: two");
    git("tag", "v1.1.0");
    commit("feat: three");
    git("tag", "v1.2.0");
    // when
    String md = new Changelog(repo).section("v1.1.0", DAY);
    // then
    assertThat(md).contains("- two (").doesNotContain("one (", "three (").endsWith("Changes since v1.0.0.\n");
  }

  @Test
  void theFirstReleaseListsEverythingAndSaysSo() throws Exception {
    commit("feat: everything");
    String md = new Changelog(repo).section("v0.1.0", DAY);
    assertThat(md).contains("- everything (").endsWith("First release.\n");
  }

  @Test
  void nothingSinceThePreviousTagIsSaidPlainly() throws Exception {
    commit("feat: one");
    git("tag", "v1.0.0");
    String md = new Changelog(repo).section("v1.0.1", DAY);
    assertThat(md).isEqualTo("## v1.0.1 (2025-03-14)\n\nNo changes since v1.0.0.\n");
  }

  @Test
  void outsideAGitRepositoryTheErrorSaysWhere() {
    // given an empty repository with no commits
    // when / then
    assertThatThrownBy(() -> new Changelog(repo).section("v1.0.0", DAY)).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("git log").hasMessageContaining(repo.toString());
  }

  @Test
  void theGroupingRuleIsTheSameWithoutGit() {
    Map<Changelog.Group, List<String>> g = Changelog.group(List.of(
        new Git.Commit("a".repeat(40), "x", "perf(db): index expenses by period", ""),
        new Git.Commit("b".repeat(40), "x", "security: bump caddy", ""),
        new Git.Commit("c".repeat(40), "x", "Fix: Capital type is still a type", "")));
    assertThat(g).containsOnlyKeys(Changelog.Group.PERFORMANCE, Changelog.Group.SECURITY, Changelog.Group.FIXES);
    assertThat(g.get(Changelog.Group.PERFORMANCE)).containsExactly("**db:** index expenses by period (aaaaaaa)");
  }

  private static List<String> sections(String md) {
    List<String> out = new ArrayList<>();
    md.lines().filter(l -> l.startsWith("### ")).forEach(l -> out.add(l.substring(4)));
    return out;
  }

  private int n;

  private void commit(String subject, String... body) throws Exception {
    Files.writeString(repo.resolve("file" + (n++) + ".txt"), subject);
    git("add", "-A");
    List<String> argv = new ArrayList<>(List.of("commit", "-q", "-m", subject));
    for (String b : body) {
      argv.add("-m");
      argv.add(b);
    }
    git(argv.toArray(String[]::new));
  }

  private void git(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("git"));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).directory(repo.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", argv) + "\n" + out).isZero();
  }
}
