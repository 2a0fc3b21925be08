package io.budgetctl.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/release for real, end to end, the way a release engineer runs it: in a throw-away clone of this repository
 * with a previous v* tag and new commits on top, against a registry of its own (scripts/registry up, logged in as the
 * ci account through a private DOCKER_CONFIG), with SLACK_WEBHOOK_URL pointing at a JDK HttpServer that records what
 * it gets and SMTP at GreenMail with AUTH. The clone starts without any target/ directory, as a fresh CI checkout
 * does: the script packages app/itbm and deploy/release-tools itself (offline Maven). Only backend and postgres are
 * pushed (ITBM_IMAGE_NAMES) to keep it short; the image build reuses the cached layers of scripts/build-images.
 */
class ReleaseIT {

  private static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
  private static final String SMTP_PASSWORD = "smtp-" + UUID.randomUUID();
  private static final List<String> PUSHED = List.of("backend", "postgres");
  private static final List<String> ALL = List.of("backend", "frontend", "worker", "scheduler", "postgres", "redis");

  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(
      new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
      .withConfiguration(GreenMailConfiguration.aConfig().withUser("release-bot", SMTP_PASSWORD));

  @TempDir
  Path tmp;

  private final String version = "v0." + ThreadLocalRandom.current().nextInt(100, 900) + ".0";
  private final String slackSecret = "T0RELEASE/B0IT/" + UUID.randomUUID().toString().replace("-", "");
  private final List<String> slackRequests = new CopyOnWriteArrayList<>();
  private final List<String> cleanupImages = new ArrayList<>();
  private HttpServer slack;
  private Map<String, String> registryEnv;

  @BeforeEach
  void slackReceiver() throws IOException {
    slack = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    slack.createContext("/services/" + slackSecret, exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        slackRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type")
            + "\n" + new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, ok.length);
      exchange.getResponseBody().write(ok);
      exchange.close();
    });
    slack.start();
  }

  @AfterEach
  void cleanUp() throws Exception {
    slack.stop(0);
    for (String image : cleanupImages) {
      run(tmp, List.of("docker", "rmi", "-f", image), Map.of(), 120);
    }
    if (registryEnv != null) {
      run(ROOT, List.of(ROOT.resolve("scripts/registry").toString(), "down"), registryEnv, 120);
    }
  }

  @Test
  void aRealReleasePushesImagesPackagesChecksumsAndAnnouncesTheNewCommits() throws Exception {
    // given: a registry of our own and the ci account logged in through a private docker config
    String registry = startRegistry();
    String ciPassword = login(registry);

    // and: a clone whose last release is tagged, with new commits on top (empty: the images stay cached)
    Clone clone = cloneWithNewCommits();
    Path repo = clone.repo();
    String before = clone.before();
    String featSha = clone.featSha();
    String fixSha = clone.fixSha();
    String cloneSha = clone.sha();

    Map<String, String> env = new HashMap<>(registryEnv);
    env.put("ITBM_IMAGE_NAMES", String.join(" ", PUSHED));
    env.put("SLACK_WEBHOOK_URL", "http://127.0.0.1:" + slack.getAddress().getPort() + "/services/" + slackSecret);
    env.put("SMTP_HOST", "127.0.0.1");
    env.put("SMTP_PORT", Integer.toString(SMTP.getSmtp().getPort()));
    env.put("SMTP_USER", "release-bot");
    env.put("SMTP_PASSWORD", SMTP_PASSWORD);
    env.put("MAIL_FROM", "releases@itbm.example");
    env.put("MAIL_TO", "deploy-team@itbm.example, support@itbm.example");
    env.put("RELEASE_URL", "https://releases.itbm.example/" + version);
    Path out = tmp.resolve("out");

    // when
    Run release = run(repo, List.of(repo.resolve("scripts/release").toString(), version, "--registry", registry,
        "--out", out.toString()), env, 1800);
    Files.writeString(Files.createDirectories(Path.of("target")).resolve("release-it-output.log"), release.text);

    // then: it finished, and said nothing secret
    assertThat(release.code).as(release.text).isZero();
    assertThat(release.text).doesNotContain(ciPassword, SMTP_PASSWORD, slackSecret)
        .contains("step push", "step notify", "notify: Slack webhook OK", "notify: mail to 2 recipient(s) OK")
        .doesNotContain("\u001b[");

    // and: every pushed image is in images.txt with its digest, and pulls back by that digest as the same image
    List<String> lines = Files.readAllLines(out.resolve("images.txt"));
    assertThat(lines).hasSize(PUSHED.size());
    for (String name : PUSHED) {
      String ref = registry + "/itbm/" + name + ":" + version;
      String line = lines.stream().filter(l -> l.startsWith(ref + " ")).findFirst().orElseThrow(
          () -> new AssertionError(ref + " is not in images.txt: " + lines));
      String byDigest = line.substring(ref.length() + 1);
      assertThat(byDigest).matches(java.util.regex.Pattern.quote(registry + "/itbm/" + name) + "@sha256:[0-9a-f]{64}");
      String id = ok(tmp, List.of("docker", "image", "inspect", "-f", "{{.Id}}", "itbm/" + name + ":" + version),
          Map.of(), 60).strip();
      // drop every local name of that image, so the pull has to fetch manifest and config from the registry
      run(tmp, List.of("docker", "rmi", "itbm/" + name + ":" + version, "itbm/" + name + ":" + cloneSha, ref),
          Map.of(), 120);
      assertThat(run(tmp, List.of("docker", "image", "inspect", id), Map.of(), 60).code).isNotZero();
      ok(tmp, List.of("docker", "pull", byDigest), registryEnv, 600);
      cleanupImages.add(byDigest);
      assertThat(ok(tmp, List.of("docker", "image", "inspect", "-f", "{{.Id}}", byDigest), Map.of(), 60).strip())
          .isEqualTo(id);
      assertThat(ok(tmp, List.of("docker", "image", "inspect", "-f",
          "{{index .Config.Labels \"org.opencontainers.image.version\"}} {{index .Config.Labels \"org.opencontainers.image.revision\"}}",
          byDigest), Map.of(), 60).strip()).isEqualTo(version + " " + cloneSha);
    }

    // and: chart and Compose bundle exist, and SHA256SUMS verifies with sha256sum itself
    String bare = version.substring(1);
    assertThat(out.resolve("itbm-" + bare + ".tgz")).isNotEmptyFile();
    assertThat(out.resolve("itbm-compose-" + version + ".tar.gz")).isNotEmptyFile();
    String sums = ok(out, List.of("sha256sum", "-c", "SHA256SUMS"), Map.of(), 60);
    assertThat(sums).contains("itbm-" + bare + ".tgz: OK", "itbm-compose-" + version + ".tar.gz: OK",
        "CHANGELOG-" + version + ".md: OK", "images.txt: OK").doesNotContain("FAILED");

    // and: the changelog section names the commits since v0.1.0 and nothing before it
    String changelog = Files.readString(out.resolve("CHANGELOG-" + version + ".md"));
    assertThat(changelog).startsWith("## " + version + " (")
        .contains("### Features", "- **budgets:** quarterly totals per cost centre (" + featSha + ")")
        .contains("### Fixes", "- expenses on the last day of a period count in it (" + fixSha + ")")
        .contains("Changes since v0.1.0.")
        .doesNotContain("chore(release)", before);

    // and: Slack got one JSON POST with the version and the changelog
    assertThat(slackRequests).hasSize(1);
    String request = slackRequests.get(0);
    assertThat(request).startsWith("POST application/json");
    JsonNode payload = new ObjectMapper().readTree(request.substring(request.indexOf('\n') + 1));
    assertThat(payload.get("text").asText()).contains("IT Budget Manager " + version + " released",
        "quarterly totals per cost centre (" + featSha + ")", "expenses on the last day of a period count in it");

    // and: each address on the list got the mail, with the version, the changelog and the artifacts
    MimeMessage[] mails = SMTP.getReceivedMessages();
    assertThat(mails).hasSize(2);
    for (MimeMessage mail : mails) {
      assertThat(mail.getSubject()).isEqualTo("IT Budget Manager " + version + " released");
      assertThat(mail.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
          .containsExactlyInAnyOrder("deploy-team@itbm.example", "support@itbm.example");
      assertThat(GreenMailUtil.getBody(mail)).contains("https://releases.itbm.example/" + version,
          "quarterly totals per cost centre (" + featSha + ")", "itbm-" + bare + ".tgz",
          "itbm-compose-" + version + ".tar.gz");
    }

    // when: the notification alone is run again, as when resuming a release whose notify step failed
    Run resumed = run(repo, List.of(repo.resolve("scripts/release").toString(), version, "--registry", registry,
        "--out", out.toString()), Map.of("ITBM_RELEASE_FROM", "notify", "SLACK_WEBHOOK_URL", env.get("SLACK_WEBHOOK_URL"),
        "SMTP_HOST", "127.0.0.1", "SMTP_PORT", env.get("SMTP_PORT"), "SMTP_USER", "release-bot",
        "SMTP_PASSWORD", SMTP_PASSWORD, "MAIL_FROM", "releases@itbm.example", "MAIL_TO", "deploy-team@itbm.example"),
        300);

    // then: only notify ran, from the files the first run left, and nothing was built or pushed again
    assertThat(resumed.code).as(resumed.text).isZero();
    assertThat(resumed.text).contains("step notify", "notify: mail to 1 recipient(s) OK")
        .doesNotContain("step build", "step push", "step changelog", SMTP_PASSWORD, slackSecret);
    assertThat(slackRequests).hasSize(2);
    assertThat(slackRequests.get(1)).contains("quarterly totals per cost centre (" + featSha + ")");
    assertThat(SMTP.getReceivedMessages()).hasSize(3);
    assertThat(ok(out, List.of("sha256sum", "-c", "SHA256SUMS"), Map.of(), 60)).doesNotContain("FAILED");
  }

  @Test
  void aPushWithoutLoginStopsAtPushSaysHowToResumeAndTheResumeFinishesTheRelease() throws Exception {
    // given: a registry, but no docker login yet, and a clone with new commits
    String registry = startRegistry();
    Clone clone = cloneWithNewCommits();
    Map<String, String> env = new HashMap<>(registryEnv);
    env.put("ITBM_IMAGE_NAMES", "postgres");
    env.put("SLACK_WEBHOOK_URL", "http://127.0.0.1:" + slack.getAddress().getPort() + "/services/" + slackSecret);
    Path out = tmp.resolve("out");
    List<String> release = List.of(clone.repo().resolve("scripts/release").toString(), version, "--registry", registry,
        "--out", out.toString());

    // when
    Run failed = run(clone.repo(), release, env, 1800);

    // then: it stopped at push with the registry's refusal, published nothing and named the resume command
    assertThat(failed.code).as(failed.text).isNotZero();
    // (the wording of the refusal depends on the registry's auth: basic or token)
    assertThat(failed.text).containsPattern("no basic auth credentials|unauthorized|authentication required")
        .contains("release: step push failed")
        .contains("ITBM_RELEASE_FROM=push scripts/release " + version + " --registry " + registry + " --out " + out)
        .doesNotContain("step chart", "step notify");
    assertThat(out.resolve("images.txt")).doesNotExist();
    assertThat(slackRequests).isEmpty();

    // when: the engineer logs in and resumes from push, as the message says
    String ciPassword = login(registry);
    Map<String, String> resumeEnv = new HashMap<>(env);
    resumeEnv.put("ITBM_RELEASE_FROM", "push");
    Run resumed = run(clone.repo(), release, resumeEnv, 1800);

    // then: the rest of the release ran without building again, and the digest pulls back
    assertThat(resumed.code).as(resumed.text).isZero();
    assertThat(resumed.text).contains("step push", "step sums", "notify: Slack webhook OK")
        .doesNotContain("step build", ciPassword, slackSecret);
    List<String> lines = Files.readAllLines(out.resolve("images.txt"));
    assertThat(lines).hasSize(1);
    String byDigest = lines.get(0).split(" ")[1];
    assertThat(byDigest).startsWith(registry + "/itbm/postgres@sha256:");
    ok(tmp, List.of("docker", "rmi", registry + "/itbm/postgres:" + version), Map.of(), 120);
    ok(tmp, List.of("docker", "pull", byDigest), registryEnv, 600);
    cleanupImages.add(byDigest);
    assertThat(ok(out, List.of("sha256sum", "-c", "SHA256SUMS"), Map.of(), 60)).contains("images.txt: OK")
        .doesNotContain("FAILED");
    assertThat(slackRequests).hasSize(1);
  }

  /** scripts/registry up in this test's own state dir on a free port; returns HOST:PORT. */
  private String startRegistry() throws Exception {
    int port = freePort();
    Path dockerConfig = Files.createDirectories(tmp.resolve("docker-config"));
    // the token server's port too: its default (PORT+1) may be taken by anything else on the machine
    registryEnv = Map.of("ITBM_REGISTRY_DIR", tmp.resolve("registry").toString(),
        "ITBM_REGISTRY_PORT", Integer.toString(port), "ITBM_REGISTRY_AUTH_PORT", Integer.toString(freePort()),
        "DOCKER_CONFIG", dockerConfig.toString());
    ok(ROOT, List.of(ROOT.resolve("scripts/registry").toString(), "up"), registryEnv, 300);
    return "127.0.0.1:" + port;
  }

  /** docker login as ci with the password from the registry's state dir, on stdin; returns the password. */
  private String login(String registry) throws Exception {
    String ciPassword = Files.readString(tmp.resolve("registry/ci.password")).strip();
    Run login = run(tmp, List.of("docker", "login", "-u", "ci", "--password-stdin", registry), registryEnv, 120,
        ciPassword + "\n");
    assertThat(login.code).as(login.text).isZero();
    return ciPassword;
  }

  private record Clone(Path repo, String before, String featSha, String fixSha, String sha) {
  }

  /**
   * A clone of this repository without any target/ (as a fresh CI checkout): its HEAD tagged v0.1.0 as the previous
   * release, then a feat, a fix and a chore(release) commit. The images this release builds are removed afterwards.
   */
  private Clone cloneWithNewCommits() throws Exception {
    Path repo = tmp.resolve("repo");
    ok(tmp, List.of("git", "clone", "--quiet", "--no-hardlinks", ROOT.toString(), repo.toString()), Map.of(), 300);
    String before = ok(repo, List.of("git", "log", "-1", "--format=%s"), Map.of(), 60).strip();
    git(repo, "tag", "-a", "v0.1.0", "-m", "the previous release");
    git(repo, "commit", "--allow-empty", "-q", "-m", "feat(budgets): quarterly totals per cost centre");
    git(repo, "commit", "--allow-empty", "-q", "-m", "fix: expenses on the last day of a period count in it");
    git(repo, "commit", "--allow-empty", "-q", "-m", "chore(release): " + version);
    Clone clone = new Clone(repo, before, git(repo, "rev-parse", "--short=7", "HEAD~2").strip(),
        git(repo, "rev-parse", "--short=7", "HEAD~1").strip(), git(repo, "rev-parse", "--short=12", "HEAD").strip());
    for (String name : ALL) {
      cleanupImages.add("itbm/" + name + ":" + version);
      cleanupImages.add("itbm/" + name + ":" + clone.sha());
      cleanupImages.add("127.0.0.1:" + registryEnv.get("ITBM_REGISTRY_PORT") + "/itbm/" + name + ":" + version);
    }
    return clone;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private String git(Path repo, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("git", "-c", "user.name=Release IT", "-c", "user.email=release-it@itbm.example"));
    argv.addAll(List.of(args));
    return ok(repo, argv, Map.of(), 60);
  }

  private record Run(int code, String text) {
  }

  private static String ok(Path dir, List<String> argv, Map<String, String> env, int timeoutSeconds) throws Exception {
    Run r = run(dir, argv, env, timeoutSeconds);
    assertThat(r.code).as("%s failed:%n%s", argv, r.text).isZero();
    return r.text;
  }

  private static Run run(Path dir, List<String> argv, Map<String, String> env, int timeoutSeconds) throws Exception {
    return run(dir, argv, env, timeoutSeconds, null);
  }

  /** Runs argv with stdout and stderr merged (the order a person sees), stdin from the given text or nothing. */
  private static Run run(Path dir, List<String> argv, Map<String, String> env, int timeoutSeconds, String stdin)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Path log = Files.createTempFile("release-it", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(argv + " did not finish in " + timeoutSeconds + " s:\n" + Files.readString(log));
    }
    String text = Files.readString(log);
    Files.delete(log);
    return new Run(p.exitValue(), text);
  }
}
