package io.budgetctl.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.budgetctl.notify.Smtp;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class NotifiersTest {

  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(
      new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
      .withConfiguration(GreenMailConfiguration.aConfig().withUser("release-bot", "s3cret-smtp"));

  @TempDir
  Path tmp;

  private HttpServer slack;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private volatile int status = 200;

  private URI startSlack() throws Exception {
    slack = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    slack.createContext("/services/T000/B000/XXXX", ex -> {
      received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      contentTypes.add(ex.getRequestHeaders().getFirst("Content-Type") + " " + ex.getRequestMethod());
      byte[] body = (status == 200 ? "ok" : "invalid_token").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    slack.start();
    return URI.create("http://127.0.0.1:" + slack.getAddress().getPort() + "/services/T000/B000/XXXX");
  }

  @AfterEach
  void stopSlack() {
    if (slack != null) {
      slack.stop(0);
    }
  }

  private static Announcement announcement() {
    return new Announcement("v1.4.0", "https://git.example/vendor/itbm/releases/v1.4.0",
        "## v1.4.0 (2025-03-14)\n\n### Features\n\n- forecasting per cost centre (abc1234)\n", List.of("itbm-1.4.0.tgz"));
  }

  @Test
  void slackReceivesTheChangelogAsJson() throws Exception {
    // given
    URI hook = startSlack();
    // when
    new SlackNotifier(hook).send(announcement());
    // then
    assertThat(received).hasSize(1);
    JsonNode json = new ObjectMapper().readTree(received.get(0));
    assertThat(json.get("text").asText()).startsWith("*IT Budget Manager v1.4.0 released*")
        .contains("forecasting per cost centre", "releases/v1.4.0|release notes");
    assertThat(contentTypes.get(0)).startsWith("application/json").endsWith("POST");
  }

  @Test
  void aSlackErrorIsReportedWithItsStatusButNotTheSecretPath() throws Exception {
    URI hook = startSlack();
    status = 403;
    assertThatThrownBy(() -> new SlackNotifier(hook).send(announcement())).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("HTTP 403").hasMessageContaining("invalid_token");
    slack.stop(0);
    slack = null;
    assertThatThrownBy(() -> new SlackNotifier(hook).send(announcement()))
        .hasMessageContaining("cannot reach the Slack webhook at 127.0.0.1").hasMessageNotContaining("XXXX");
  }

  @Test
  void theMailListGetsOnePlainTextMailThroughSmtpWithAuth() throws Exception {
    // given
    Smtp smtp = new Smtp("127.0.0.1", SMTP.getSmtp().getPort(), "release-bot", "s3cret-smtp",
        false, "releases@vendor.example");
    // when
    new MailNotifier(smtp).send(announcement(), List.of("ops@acme.example", "support@vendor.example"));
    // then
    assertThat(SMTP.waitForIncomingEmail(5000, 2)).isTrue();
    MimeMessage[] mails = SMTP.getReceivedMessages();
    assertThat(mails).extracting(m -> m.getAllRecipients()[0].toString()).hasSize(2);
    assertThat(mails[0].getSubject()).isEqualTo("IT Budget Manager v1.4.0 released");
    assertThat(mails[0].getFrom()[0].toString()).isEqualTo("releases@vendor.example");
    assertThat(GreenMailUtil.getBody(mails[0])).contains("forecasting per cost centre", "itbm-1.4.0.tgz");
    assertThat(smtp.toString()).doesNotContain("s3cret-smtp");
  }

  @Test
  void wrongSmtpCredentialsFailWithTheServerNamed() {
    Smtp smtp = new Smtp("127.0.0.1", SMTP.getSmtp().getPort(), "release-bot", "wrong",
        false, "releases@vendor.example");
    assertThatThrownBy(() -> new MailNotifier(smtp).send(announcement(), List.of("ops@acme.example")))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("127.0.0.1:" + SMTP.getSmtp().getPort())
        .hasMessageNotContaining("wrong");
  }

  @Test
  void theNotifyCommandSendsBothAndReadsCredentialsFromTheEnvironment() throws Exception {
    // given
    URI hook = startSlack();
    Path changelog = Files.writeString(tmp.resolve("CHANGELOG-v1.4.0.md"), "## v1.4.0\n\n- a change (1234567)\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> env = Map.of("SLACK_WEBHOOK_URL", hook.toString(), "SMTP_USER", "release-bot",
        "SMTP_PASSWORD", "s3cret-smtp", "MAIL_TO", "ops@acme.example");
    // when
    int code = ReleaseMain.run(new PrintWriter(out), new PrintWriter(err), env, "notify", "--version", "v1.4.0",
        "--changelog", changelog.toString(), "--smtp-host", "127.0.0.1", "--smtp-port",
        String.valueOf(SMTP.getSmtp().getPort()), "--mail-from", "releases@vendor.example");
    // then
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("notify: Slack webhook OK", "notify: mail to 1 recipient(s) OK");
    assertThat(received).hasSize(1);
    assertThat(SMTP.getReceivedMessages()).hasSize(1);
  }

  @Test
  void aFailingNotificationExitsOneButTheOtherIsStillSent() throws Exception {
    URI hook = startSlack();
    status = 500;
    Path changelog = Files.writeString(tmp.resolve("c.md"), "## v1.4.0\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ReleaseMain.run(new PrintWriter(out), new PrintWriter(err),
        Map.of("SMTP_HOST", "127.0.0.1", "SMTP_PORT", String.valueOf(SMTP.getSmtp().getPort()),
            "SMTP_USER", "release-bot", "SMTP_PASSWORD", "s3cret-smtp", "MAIL_FROM", "r@vendor.example"),
        "notify", "--version", "v1.4.0", "--changelog", changelog.toString(), "--slack-url", hook.toString(),
        "--mail-to", "ops@acme.example");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("HTTP 500").doesNotContain("s3cret-smtp").hasLineCount(1);
    assertThat(SMTP.getReceivedMessages()).hasSize(1);
  }
}
