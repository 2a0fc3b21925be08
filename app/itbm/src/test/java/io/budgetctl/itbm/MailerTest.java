package io.budgetctl.itbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The product's mail against GreenMail's real SMTP server on loopback, with a user and password. */
class MailerTest {
  static final String PASSWORD = "mailer-Pw-7731";
  GreenMail smtp;

  @BeforeEach
  void start() {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort())
        .withConfiguration(GreenMailConfiguration.aConfig().withUser("itbm-mailer", PASSWORD));
    smtp.start();
  }

  @AfterEach
  void stop() {
    smtp.stop();
  }

  IntegrationSettings.Smtp settings(String password, int port) {
    return new IntegrationSettings.Smtp("127.0.0.1", port, Optional.of("itbm-mailer"), Optional.ofNullable(password),
        "budget@acme.example", false, List.of("finance@acme.example", "it@acme.example"));
  }

  @Test
  void theMailArrivesFromTheSenderAtEveryRecipient() throws Exception {
    // given
    Mailer m = new Mailer(settings(PASSWORD, smtp.getSmtp().getPort()));
    // when
    m.check();
    m.send("IT Budget Manager: monthly report 2026-11 is ready", "Spent: 10");
    // then
    MimeMessage[] got = smtp.getReceivedMessages();
    assertThat(got).hasSize(2);
    assertThat(got[0].getFrom()[0].toString()).isEqualTo("budget@acme.example");
    assertThat(got[0].getSubject()).isEqualTo("IT Budget Manager: monthly report 2026-11 is ready");
    assertThat(List.of(got[0].getAllRecipients()).toString()).contains("finance@acme.example", "it@acme.example");
  }

  @Test
  void aWrongPasswordIsRefusedAndTheReasonNamesTheUserButNotThePassword() {
    Mailer m = new Mailer(settings("wrong-" + PASSWORD, smtp.getSmtp().getPort()));
    MessagingException e = org.junit.jupiter.api.Assertions.assertThrows(MessagingException.class, m::check);
    assertThat(m.describe(e)).startsWith("authentication as itbm-mailer refused: ").contains("535")
        .doesNotContain(PASSWORD);
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void aUserWithoutPasswordIsReportedWithoutConnecting() {
    Mailer m = new Mailer(settings(null, smtp.getSmtp().getPort()));
    assertThatThrownBy(m::check).hasMessageContaining("SMTP_USER is set but the password");
  }

  @Test
  void aClosedPortSaysItCannotConnect() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Mailer m = new Mailer(settings(PASSWORD, closed));
    MessagingException e = org.junit.jupiter.api.Assertions.assertThrows(MessagingException.class, m::check);
    assertThat(m.describe(e)).contains("127.0.0.1").contains(Integer.toString(closed)).contains("ConnectException");
  }

  @Test
  void starttlsIsRequiredWhenConfiguredSoAServerWithoutItIsRefused() {
    // GreenMail offers no STARTTLS: with starttls the password must never go out in plain text
    Mailer m = new Mailer(new IntegrationSettings.Smtp("127.0.0.1", smtp.getSmtp().getPort(),
        Optional.of("itbm-mailer"), Optional.of(PASSWORD), "budget@acme.example", true, List.of("a@acme.example")));
    MessagingException e = org.junit.jupiter.api.Assertions.assertThrows(MessagingException.class, m::check);
    assertThat(m.describe(e)).containsIgnoringCase("STARTTLS");
  }
}
