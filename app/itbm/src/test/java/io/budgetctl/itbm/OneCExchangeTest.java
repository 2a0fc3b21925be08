package io.budgetctl.itbm;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The 1C exchange against a local HTTP receiver that checks basic auth. */
class OneCExchangeTest {
  static final String CREDENTIALS = "exchange:1c-Secret-99";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);
  HttpServer receiver;
  final List<String> bodies = new ArrayList<>();
  final List<String> queries = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String expected = "Basic " + Base64.getEncoder().encodeToString(CREDENTIALS.getBytes(StandardCharsets.UTF_8));
    receiver.createContext("/buh/hs/itbm/expenses", ex -> {
      boolean ok = expected.equals(ex.getRequestHeaders().getFirst("Authorization"))
          && ex.getRequestMethod().equals("POST");
      bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      queries.add(ex.getRequestURI().getQuery());
      ex.sendResponseHeaders(ok ? 200 : 401, -1);
      ex.close();
    });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  OneCExchange exchange(String credentials) {
    return new OneCExchange(new IntegrationSettings.OneC(URI.create("http://127.0.0.1:"
        + receiver.getAddress().getPort() + "/buh/hs/itbm/"), Optional.ofNullable(credentials),
        Cron.parse("s", "0 * * * *"), 10));
  }

  static List<Map<String, Object>> rows(String period) {
    return List.of(Map.of("cost_centre", "CC-IT", "spent_on", period + "-02", "amount", "12.50", "description",
        "licences; renewal"));
  }

  @Test
  void theMonthsExpensesArriveAsCsvWithTheCredentials() {
    // when
    IntegrationStatus s = exchange(CREDENTIALS).run(OneCExchangeTest::rows, CLOCK);
    // then
    assertThat(s.state()).as(s.reason()).isEqualTo("ok");
    assertThat(s.reason()).isEqualTo("sent 1 expenses of 2026-12 to 127.0.0.1 (HTTP 200)");
    assertThat(queries).containsExactly("period=2026-12");
    assertThat(bodies).containsExactly("cost_centre;spent_on;amount;description\r\nCC-IT;2026-12-02;12.50;licences,"
        + " renewal\r\n");
    assertThat(s.toMap()).containsEntry("user", "exchange").containsEntry("schedule", "0 * * * *")
        .containsEntry("last_checked", "2026-12-06T10:00:00Z");
  }

  @Test
  void wrongCredentialsAreFailingWithTheUserButNeverThePassword() {
    IntegrationStatus s = exchange("exchange:wrong-1c-pw").run(OneCExchangeTest::rows, CLOCK);
    assertThat(s.state()).isEqualTo("failing");
    assertThat(s.reason()).startsWith("1C refused the credentials of user exchange (HTTP 401 from 127.0.0.1:");
    assertThat(s.toJson()).doesNotContain("wrong-1c-pw");
  }

  @Test
  void aStoppedReceiverIsFailingWithTheAddress() {
    OneCExchange e = exchange(CREDENTIALS);
    int port = receiver.getAddress().getPort();
    receiver.stop(0);
    IntegrationStatus s = e.run(OneCExchangeTest::rows, CLOCK);
    assertThat(s.state()).isEqualTo("failing");
    assertThat(s.reason()).startsWith("cannot reach 127.0.0.1:" + port + ": ConnectException");
  }

  @Test
  void missingOrMalformedCredentialsFailWithoutARequest() {
    assertThat(exchange(null).run(OneCExchangeTest::rows, CLOCK).reason()).contains("ONEC_CREDENTIALS_FILE is empty");
    assertThat(exchange("no-colon").run(OneCExchangeTest::rows, CLOCK).reason()).contains("not user:password");
    assertThat(bodies).isEmpty();
  }

  @Test
  void theStatusSurvivesTheTripThroughRedisAsJson() throws Exception {
    IntegrationStatus s = exchange(CREDENTIALS).run(OneCExchangeTest::rows, CLOCK).with("next_run", "2026-12-06T11:00");
    assertThat(IntegrationStatus.fromJson(s.toJson()).toMap()).isEqualTo(s.toMap());
  }
}
