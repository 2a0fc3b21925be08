package io.budgetctl.itbm;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/**
 * The product's outgoing mail through the customer's SMTP server (Jakarta Mail): STARTTLS when configured (then
 * required: never a silent fall back to plain text), AUTH when a user is set, 10 s timeouts. The password is only
 * handed to {@link Transport#connect}; nothing here logs or returns it.
 */
final class Mailer {
  private final IntegrationSettings.Smtp smtp;
  private final Session session;

  Mailer(IntegrationSettings.Smtp smtp) {
    this.smtp = smtp;
    Properties p = new Properties();
    p.put("mail.smtp.host", smtp.host());
    p.put("mail.smtp.port", Integer.toString(smtp.port()));
    p.put("mail.smtp.from", smtp.sender());
    p.put("mail.smtp.auth", Boolean.toString(smtp.user().isPresent()));
    p.put("mail.smtp.starttls.enable", Boolean.toString(smtp.starttls()));
    p.put("mail.smtp.starttls.required", Boolean.toString(smtp.starttls()));
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    p.put("mail.smtp.connectiontimeout", "10000");
    p.put("mail.smtp.timeout", "10000");
    p.put("mail.smtp.writetimeout", "10000");
    this.session = Session.getInstance(p);
  }

  /** Connects, says EHLO, STARTTLS and AUTH as configured, and quits: whether the server takes us. */
  void check() throws MessagingException {
    try (Transport t = connect()) {
      // connected and authenticated
    }
  }

  /** Sends a plain-text mail from the sender to the configured recipients. */
  void send(String subject, String text) throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(smtp.sender()));
    for (String r : smtp.recipients()) {
      m.addRecipient(Message.RecipientType.TO, new InternetAddress(r));
    }
    m.setSubject(subject, StandardCharsets.UTF_8.name());
    m.setText(text, StandardCharsets.UTF_8.name());
    m.setSentDate(new Date());
    m.saveChanges();
    try (Transport t = connect()) {
      t.sendMessage(m, m.getAllRecipients());
    }
  }

  private Transport connect() throws MessagingException {
    if (smtp.user().isPresent() && smtp.password().isEmpty()) {
      throw new AuthenticationFailedException("SMTP_USER is set but the password (SMTP_PASSWORD_FILE) is empty");
    }
    Transport t = session.getTransport("smtp");
    t.connect(smtp.host(), smtp.port(), smtp.user().orElse(null), smtp.password().orElse(null));
    return t;
  }

  /** One line on why a connection or a mail failed: the exception's message and its cause's, never a password. */
  String describe(MessagingException e) {
    StringBuilder b = new StringBuilder();
    if (e instanceof AuthenticationFailedException) {
      b.append("authentication").append(smtp.user().map(u -> " as " + u).orElse("")).append(" refused: ");
    }
    b.append(oneLine(e.getMessage()));
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !b.toString().contains(cause.getMessage())) {
      b.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(oneLine(cause.getMessage())).append(')');
    }
    return IntegrationStatus.redact(b.toString(), smtp.password().stream().toList());
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").strip();
  }
}
