package io.budgetctl.notify;

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

/** Sends one plain-text UTF-8 mail to a list over SMTP (10 s to connect, 20 s for each answer). */
public final class Mail {
    private final Smtp smtp;

    public Mail(Smtp smtp) {
        this.smtp = smtp;
    }

    /**
     * Sends {@code subject} and {@code body} to every address in {@code to} (white space around each is ignored).
     *
     * @throws MessagingException when an address is not one, or the server cannot be reached or refuses the mail; its
     *                            message names neither the password nor the body
     */
    public void send(List<String> to, String subject, String body) throws MessagingException {
        if (to.isEmpty()) {
            throw new IllegalArgumentException("a mail needs at least one recipient");
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
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(smtp.from(), true));
        InternetAddress[] rcpt = new InternetAddress[to.size()];
        for (int i = 0; i < to.size(); i++) {
            rcpt[i] = new InternetAddress(to.get(i).strip(), true);
        }
        m.setRecipients(Message.RecipientType.TO, rcpt);
        m.setSubject(subject, StandardCharsets.UTF_8.name());
        m.setText(body, StandardCharsets.UTF_8.name());
        Transport.send(m);
    }
}
