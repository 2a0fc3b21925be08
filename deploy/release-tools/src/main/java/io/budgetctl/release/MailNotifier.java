package io.budgetctl.release;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

/** Sends the announcement as one plain-text mail to a list over SMTP (STARTTLS when asked, AUTH when a user is set). */
public final class MailNotifier {

  /** SMTP settings; password is never printed (toString masks it). */
  public record Smtp(String host, int port, String user, String password, boolean startTls, String from) {
    public Smtp {
      if (host == null || host.isBlank()) {
        throw new ReleaseException("SMTP host is not set (hint: --smtp-host or SMTP_HOST)");
      }
      if (from == null || from.isBlank()) {
        throw new ReleaseException("mail sender is not set (hint: --mail-from or MAIL_FROM)");
      }
    }

    @Override
    public String toString() {
      return "Smtp[" + host + ":" + port + ", user " + user + ", password ****, starttls " + startTls + "]";
    }
  }

  private final Smtp smtp;

  public MailNotifier(Smtp smtp) {
    this.smtp = smtp;
  }

  public void send(Announcement a, List<String> to) {
    if (to.isEmpty()) {
      throw new ReleaseException("the mail list is empty (hint: --mail-to a@example.com,b@example.com or MAIL_TO)");
    }
    Properties props = new Properties();
    props.put("mail.smtp.host", smtp.host());
    props.put("mail.smtp.port", String.valueOf(smtp.port()));
    props.put("mail.smtp.connectiontimeout", "10000");
    props.put("mail.smtp.timeout", "20000");
    props.put("mail.smtp.starttls.enable", String.valueOf(smtp.startTls()));
    props.put("mail.smtp.starttls.required", String.valueOf(smtp.startTls()));
    boolean auth = smtp.user() != null && !smtp.user().isBlank();
    props.put("mail.smtp.auth", String.valueOf(auth));
    Session session = auth
        ? Session.getInstance(props, new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
              return new PasswordAuthentication(smtp.user(), smtp.password());
            }
          })
        : Session.getInstance(props);
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(new InternetAddress(smtp.from(), true));
      InternetAddress[] rcpt = new InternetAddress[to.size()];
      for (int i = 0; i < to.size(); i++) {
        rcpt[i] = new InternetAddress(to.get(i).strip(), true);
      }
      m.setRecipients(Message.RecipientType.TO, rcpt);
      m.setSubject(a.subject(), StandardCharsets.UTF_8.name());
      m.setText(a.body(), StandardCharsets.UTF_8.name());
      Transport.send(m);
    } catch (MessagingException e) {
      throw new ReleaseException("cannot send the release mail through " + smtp.host() + ":" + smtp.port() + ": "
          + e.getMessage() + " (hint: check SMTP host/port/credentials; the release itself is done)", e);
    }
  }
}
