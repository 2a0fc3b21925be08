package io.budgetctl.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against a real SMTP server (GreenMail, in this JVM, plain SMTP with AUTH and without STARTTLS). */
class MailTest {
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("bot", "s3cret-smtp"));

    private static Smtp smtp(String password, boolean startTls) {
        return new Smtp("127.0.0.1", SMTP.getSmtp().getPort(), "bot", password, startTls, "bot@vendor.example");
    }

    @Test
    void everyAddressGetsOnePlainTextUtf8MailThroughSmtpWithAuth() throws Exception {
        // when
        new Mail(smtp("s3cret-smtp", false)).send(List.of("ops@acme.example", " oncall@acme.example "),
                "Übersicht: 2 Zähler", "line one\nline two: ¤ 1 000");

        // then: one message, one copy per recipient, as it was written
        assertThat(SMTP.waitForIncomingEmail(5000, 2)).isTrue();
        MimeMessage[] mails = SMTP.getReceivedMessages();
        assertThat(mails).extracting(m -> m.getAllRecipients().length).containsExactly(2, 2);
        assertThat(mails[0].getAllRecipients()).extracting(Object::toString)
                .containsExactly("ops@acme.example", "oncall@acme.example");
        assertThat(mails[0].getFrom()[0].toString()).isEqualTo("bot@vendor.example");
        assertThat(mails[0].getSubject()).isEqualTo("Übersicht: 2 Zähler");
        assertThat(mails[0].getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(((String) mails[0].getContent()).replace("\r\n", "\n")).isEqualTo("line one\nline two: ¤ 1 000");
    }

    @Test
    void wrongCredentialsFailWithoutThePassword() {
        assertThatThrownBy(() -> new Mail(smtp("wrong-pass", false)).send(List.of("ops@acme.example"), "s", "b"))
                .isInstanceOf(MessagingException.class).hasMessageNotContaining("wrong-pass");
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void starttlsWhenAskedIsRequiredSoAServerWithoutItGetsNothing() {
        assertThatThrownBy(() -> new Mail(smtp("s3cret-smtp", true)).send(List.of("ops@acme.example"), "s", "b"))
                .isInstanceOf(MessagingException.class).hasMessageContaining("STARTTLS");
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void aBadAddressOrNoAddressIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> new Mail(smtp("s3cret-smtp", false)).send(List.of("not an address"), "s", "b"))
                .isInstanceOf(MessagingException.class);
        assertThatThrownBy(() -> new Mail(smtp("s3cret-smtp", false)).send(List.of(), "s", "b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void theSettingsNeverPrintThePassword() {
        assertThat(smtp("s3cret-smtp", true)).hasToString(
                "Smtp[127.0.0.1:" + SMTP.getSmtp().getPort() + ", user bot, password ****, starttls true]");
    }
}
