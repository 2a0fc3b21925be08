package io.budgetctl.release;

import io.budgetctl.notify.Mail;
import io.budgetctl.notify.Smtp;
import jakarta.mail.MessagingException;
import java.util.List;

/**
 * Sends the announcement as one plain-text mail to a list over SMTP (STARTTLS required when asked, AUTH when a user
 * is set), through budgetctl-notify's {@link Mail}; this class says what is missing in the release's own terms.
 */
public final class MailNotifier {
  private final Smtp smtp;

  public MailNotifier(Smtp smtp) {
    if (smtp.host() == null || smtp.host().isBlank()) {
      throw new ReleaseException("SMTP host is not set (hint: --smtp-host or SMTP_HOST)");
    }
    if (smtp.from() == null || smtp.from().isBlank()) {
      throw new ReleaseException("mail sender is not set (hint: --mail-from or MAIL_FROM)");
    }
    this.smtp = smtp;
  }

  public void send(Announcement a, List<String> to) {
    if (to.isEmpty()) {
      throw new ReleaseException("the mail list is empty (hint: --mail-to a@example.com,b@example.com or MAIL_TO)");
    }
    try {
      new Mail(smtp).send(to, a.subject(), a.body());
    } catch (MessagingException e) {
      throw new ReleaseException("cannot send the release mail through " + smtp.host() + ":" + smtp.port() + ": "
          + e.getMessage() + " (hint: check SMTP host/port/credentials; the release itself is done)", e);
    }
  }
}
