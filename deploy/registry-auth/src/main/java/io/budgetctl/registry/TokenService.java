package io.budgetctl.registry;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The token endpoint without the HTTP around it (distribution's "Token Authentication Specification"):
 * {@code GET /token?service=S&scope=repository:NAME:pull,push&account=A} with HTTP Basic credentials.
 * <ul>
 *   <li>no or wrong credentials: 401 (docker login fails; a pull or push says "unauthorized");</li>
 *   <li>a service other than ours: 400;</li>
 *   <li>otherwise 200 and a token whose {@code access} holds only what the ACL grants of each requested scope. An
 *       account asking for more (pull-acme asking for push) gets a token without it; the registry then answers
 *       insufficient_scope, which docker shows as "denied: requested access to the resource is denied".</li>
 * </ul>
 * The reply's log line names the account and scopes, never a password or a token.
 */
final class TokenService {
  /** {@code badCredentials}: credentials were given and wrong (not an anonymous challenge); counts against the address. */
  record Reply(int status, Map<String, String> headers, String body, String log, boolean badCredentials) {}

  private final Supplier<Accounts> accounts;
  private final Supplier<Acl> acl;
  private final TokenIssuer issuer;

  TokenService(Supplier<Accounts> accounts, Supplier<Acl> acl, TokenIssuer issuer) {
    this.accounts = accounts;
    this.acl = acl;
    this.issuer = issuer;
  }

  Reply token(String authorization, Map<String, List<String>> params) {
    List<String> service = params.getOrDefault("service", List.of());
    if (!service.isEmpty() && !service.equals(List.of(issuer.service()))) {
      return error(400, "UNSUPPORTED", "this token server serves '" + issuer.service() + "' only",
          "service=" + Scope.printable(String.join(",", service)) + " status=400");
    }
    List<Scope> requested;
    try {
      requested = Scope.parseAll(params.getOrDefault("scope", List.of()));
    } catch (IllegalArgumentException e) {
      return error(400, "UNSUPPORTED", e.getMessage(), "bad scope status=400");
    }
    String scopes = String.join(" ", requested.stream().map(Scope::toString).toList());
    Credentials c = Credentials.basic(authorization);
    if (c == null) {
      return unauthorized("authentication required", "anonymous scope=[" + scopes + "] status=401", false);
    }
    try {
      if (!accounts.get().check(c.account(), c.password())) {
        return unauthorized("incorrect username or password",
            "account=" + Scope.printable(c.account()) + " scope=[" + scopes + "] status=401 bad credentials", true);
      }
    } finally {
      Arrays.fill(c.password(), '\0');
    }
    Acl rules = acl.get();
    List<Scope> granted = new ArrayList<>();
    for (Scope s : requested) {
      Set<String> actions = rules.granted(c.account(), s);
      if (!actions.isEmpty()) {
        granted.add(new Scope(s.type(), s.name(), actions));
      }
    }
    TokenIssuer.Issued t = issuer.issue(c.account(), granted);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token", t.token());
    body.put("access_token", t.token());
    body.put("expires_in", t.expiresIn().toSeconds());
    body.put("issued_at", DateTimeFormatter.ISO_INSTANT.format(t.issuedAt()));
    String log = "account=" + Scope.printable(c.account()) + " scope=[" + scopes + "] granted=["
        + String.join(" ", granted.stream().map(Scope::toString).toList()) + "] status=200";
    return new Reply(200, Map.of("Content-Type", "application/json", "Cache-Control", "no-store"),
        JSONObjectUtils.toJSONString(body), log, false);
  }

  private static Reply unauthorized(String message, String log, boolean badCredentials) {
    Reply r = error(401, "UNAUTHORIZED", message, log);
    Map<String, String> h = new LinkedHashMap<>(r.headers());
    h.put("WWW-Authenticate", "Basic realm=\"itbm-registry\"");
    return new Reply(401, h, r.body(), log, badCredentials);
  }

  /** The registry's error document ({@code {"errors":[{code, message}]}}) with the given status. */
  static Reply error(int status, String code, String message, String log) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("code", code);
    e.put("message", message);
    return new Reply(status, Map.of("Content-Type", "application/json"),
        JSONObjectUtils.toJSONString(Map.of("errors", List.of(e))), log, false);
  }

  /** HTTP Basic credentials; null when absent or malformed. The password is a char[] to be wiped after use. */
  record Credentials(String account, char[] password) {
    static Credentials basic(String header) {
      if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
        return null;
      }
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(header.substring(6).trim());
      } catch (IllegalArgumentException e) {
        return null;
      }
      CharBuffer chars;
      try {
        chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(raw));
      } catch (CharacterCodingException e) {
        return null;
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
      char[] all = new char[chars.remaining()];
      chars.get(all);
      Arrays.fill(chars.array(), '\0');
      int colon = -1;
      for (int i = 0; i < all.length; i++) {
        if (all[i] == ':') {
          colon = i;
          break;
        }
      }
      if (colon <= 0) {
        Arrays.fill(all, '\0');
        return null;
      }
      String account = new String(all, 0, colon);
      char[] password = Arrays.copyOfRange(all, colon + 1, all.length);
      Arrays.fill(all, '\0');
      return new Credentials(account, password);
    }
  }
}
