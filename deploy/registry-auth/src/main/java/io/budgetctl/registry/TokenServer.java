package io.budgetctl.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.budgetctl.security.LoginThrottle;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * HTTPS around {@link TokenService}: {@code GET /token} and {@code GET /healthz}, on every listen address (one
 * {@link HttpsServer} each, sharing one thread pool). Wrong passwords are counted per client address and per
 * account (budgetctl-security's {@link LoginThrottle}, one each): past either limit the request gets 429 with
 * Retry-After, even with the right password, so neither one address guessing many accounts nor many addresses
 * guessing one account get more than the limit of tries.
 */
final class TokenServer implements AutoCloseable {
  private final List<HttpsServer> servers = new ArrayList<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  TokenServer(List<InetSocketAddress> listen, SSLContext tls, TokenService service, Consumer<String> log)
      throws IOException {
    this(listen, tls, service, LoginThrottle.standard(), LoginThrottle.standard(), log);
  }

  TokenServer(List<InetSocketAddress> listen, SSLContext tls, TokenService service, LoginThrottle perAddress,
              LoginThrottle perAccount, Consumer<String> log) throws IOException {
    try {
      for (InetSocketAddress a : listen) {
        HttpsServer s = HttpsServer.create(a, 32);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        s.createContext("/token", ex -> handle(ex, service, perAddress, perAccount, log));
        s.createContext("/healthz", ex -> reply(ex, 200, Map.of("Content-Type", "text/plain"), "ok\n"));
        s.setExecutor(pool);
        servers.add(s);
      }
    } catch (IOException e) {
      close();
      throw e;
    }
    servers.forEach(HttpsServer::start);
  }

  List<InetSocketAddress> addresses() {
    return servers.stream().map(HttpsServer::getAddress).toList();
  }

  private static void handle(HttpExchange ex, TokenService service, LoginThrottle perAddress,
                             LoginThrottle perAccount, Consumer<String> log) throws IOException {
    try {
      String from = ex.getRemoteAddress().getAddress().getHostAddress();
      String account = account(ex.getRequestHeaders().getFirst("Authorization"));
      long byAddress = perAddress.retryAfterSeconds(from);
      long byAccount = account == null ? 0 : perAccount.retryAfterSeconds(account);
      long wait = Math.max(byAddress, byAccount);
      if (wait > 0) {
        String what = byAddress >= byAccount ? "this address" : "this account";
        TokenService.Reply r = TokenService.error(429, "TOOMANYREQUESTS", "too many wrong passwords for " + what
            + "; retry after " + wait + " s", "status=429 throttled=" + (byAddress >= byAccount ? "address"
            : "account") + " retry_after=" + wait);
        Map<String, String> h = new LinkedHashMap<>(r.headers());
        h.put("Retry-After", Long.toString(wait));
        reply(ex, 429, h, r.body());
        log.accept("from=" + from + " " + r.log());
        return;
      }
      if (!ex.getRequestMethod().equals("GET")) {
        reply(ex, 405, Map.of("Allow", "GET", "Content-Type", "text/plain"), "only GET is supported\n");
        log.accept("method=" + Scope.printable(ex.getRequestMethod()) + " status=405");
        return;
      }
      TokenService.Reply r = service.token(ex.getRequestHeaders().getFirst("Authorization"),
          query(ex.getRequestURI().getRawQuery()));
      if (r.badCredentials()) {
        perAddress.failed(from);
        if (account != null) {
          perAccount.failed(account);
        }
      }
      reply(ex, r.status(), r.headers(), r.body());
      log.accept("from=" + from + " " + r.log());
    } catch (RuntimeException e) {
      log.accept("internal error: " + e);
      reply(ex, 500, Map.of("Content-Type", "text/plain"), "internal error\n");
    }
  }

  /**
   * The account of a Basic Authorization header ({@link TokenService.Credentials}, whose password is wiped here), or
   * null: only the throttle's key, never logged from here.
   */
  static String account(String authorization) {
    TokenService.Credentials c = TokenService.Credentials.basic(authorization);
    if (c == null) {
      return null;
    }
    java.util.Arrays.fill(c.password(), '\0');
    return c.account();
  }

  static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static void reply(HttpExchange ex, int status, Map<String, String> headers, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }

  /** An SSLContext serving {@code chain} (leaf first) with {@code key}. */
  static SSLContext tls(List<X509Certificate> chain, PrivateKey key) {
    try {
      char[] pass = Long.toHexString(new SecureRandom().nextLong()).toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("server", key, pass, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pass);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot use the TLS certificate/key: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    servers.forEach(s -> s.stop(0));
    pool.shutdownNow();
  }
}
