package io.budgetctl.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a webhook receiver on loopback (the JDK's HttpServer) that records what it gets. */
class WebhookTest {
    private HttpServer receiver;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "ok";

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/services/T000/B000/SECRET", ex -> {
            received.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (status / 100 == 3) {
                ex.getResponseHeaders().add("Location", "/elsewhere");
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/services/T000/B000/SECRET");
    }

    @Test
    void postsTheJsonAsUtf8AndReturnsTheAnswer() throws Exception {
        // when
        Webhook.Answer a = new Webhook(url()).post("{\"text\":\"Zähler ✓\"}");

        // then
        assertThat(a.ok()).isTrue();
        assertThat(a.body()).isEqualTo("ok");
        assertThat(received).containsExactly("POST application/json; charset=utf-8 {\"text\":\"Zähler ✓\"}");
    }

    @Test
    void aRefusalOrARedirectIsAnAnswerThatIsNotOk() throws Exception {
        status = 403;
        answer = "invalid_token";
        assertThat(new Webhook(url()).post("{}")).isEqualTo(new Webhook.Answer(403, "invalid_token"));
        assertThat(new Webhook.Answer(403, "").ok()).isFalse();

        // a redirect is not followed: the JSON is not sent on to wherever it points
        status = 302;
        answer = "";
        assertThat(new Webhook(url()).post("{}").status()).isEqualTo(302);
        assertThat(received).hasSize(2);
    }

    @Test
    void noAnswerIsAnIoException() {
        Webhook hook = new Webhook(url());
        receiver.stop(0);
        receiver = null;
        assertThatThrownBy(() -> hook.post("{}")).isInstanceOf(IOException.class);
    }

    @Test
    void onlyAnHttpUrlWithAHostIsAWebhookAndOnlyItsHostIsShown() {
        assertThatThrownBy(() -> new Webhook(URI.create("ftp://hooks.example/x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Webhook(URI.create("https:///services/x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Webhook(URI.create("https://hooks.slack.com/services/T0/B0/SECRET")).host())
                .isEqualTo("hooks.slack.com");
    }
}
