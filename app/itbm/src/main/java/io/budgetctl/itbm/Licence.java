package io.budgetctl.itbm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A signed licence: which customer may use which feature modules until when.
 * <p>File format (JSON): {@code {"payload": base64(JSON bytes), "signature": base64(Ed25519 over those bytes)}}; the
 * payload is {@code {"customer": "...", "expires": "YYYY-MM-DD", "modules": ["forecasting", ...]}}. Signing the exact
 * payload bytes avoids any JSON canonicalisation question.
 */
record Licence(String customer, LocalDate expires, Set<String> modules, String id) {
  /** A licence without an id (signed by `itbm licence sign`, which predates the portal's licence ids). */
  Licence(String customer, LocalDate expires, Set<String> modules) {
    this(customer, expires, modules, "");
  }

  /**
   * Every licensable module (schemas/client.schema.json $defs/knownModules, the portal's list): a licence may name
   * any of them, whether or not this build gates a feature on it yet (forecasting, integrations-1c and sso are).
   */
  static final Set<String> KNOWN_MODULES = Set.of("forecasting", "reporting", "approvals", "audit", "integrations-1c",
      "sso", "multi-currency", "api");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** No licence file: the core product only. */
  static Licence none() {
    return new Licence("unlicensed", LocalDate.MAX, Set.of());
  }

  boolean allows(String module, LocalDate today) {
    return modules.contains(module) && !today.isAfter(expires);
  }

  Set<String> activeModules(LocalDate today) {
    return today.isAfter(expires) ? Set.of() : modules;
  }

  static Licence verify(byte[] file, PublicKey key) {
    JsonNode root;
    try {
      root = JSON.readTree(file);
    } catch (IOException e) {
      throw new LicenceException("licence file is not JSON");
    }
    if (root == null || !root.path("payload").isTextual() || !root.path("signature").isTextual()) {
      throw new LicenceException("licence file needs the text fields 'payload' and 'signature'");
    }
    byte[] payload;
    byte[] signature;
    try {
      payload = Base64.getDecoder().decode(root.get("payload").asText());
      signature = Base64.getDecoder().decode(root.get("signature").asText());
    } catch (IllegalArgumentException e) {
      throw new LicenceException("licence payload or signature is not base64");
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(payload);
      if (!verifier.verify(signature)) {
        throw new LicenceException("licence signature does not match (file changed, or signed with another key)");
      }
    } catch (GeneralSecurityException e) {
      throw new LicenceException("licence signature cannot be checked: " + e.getMessage());
    }
    return parsePayload(payload);
  }

  private static Licence parsePayload(byte[] payload) {
    JsonNode p;
    try {
      p = JSON.readTree(payload);
    } catch (IOException e) {
      throw new LicenceException("signed licence payload is not JSON");
    }
    String customer = p.path("customer").asText("");
    if (customer.isBlank()) {
      throw new LicenceException("licence has no customer");
    }
    LocalDate expires;
    try {
      expires = LocalDate.parse(p.path("expires").asText(""));
    } catch (DateTimeParseException e) {
      throw new LicenceException("licence 'expires' is not YYYY-MM-DD");
    }
    Set<String> modules = new TreeSet<>();
    for (JsonNode m : p.path("modules")) {
      if (!KNOWN_MODULES.contains(m.asText())) {
        throw new LicenceException("licence names unknown module '" + m.asText() + "'; known: " + new TreeSet<>(KNOWN_MODULES));
      }
      modules.add(m.asText());
    }
    // the portal's licences also carry their id ('licence'), which the portal heartbeat reports
    return new Licence(customer, expires, Set.copyOf(modules), p.path("licence").asText(""));
  }

  static byte[] sign(String customer, LocalDate expires, List<String> modules, PrivateKey key) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("customer", customer);
    body.put("expires", expires.toString());
    body.put("modules", new ArrayList<>(modules));
    try {
      byte[] payload = JSON.writeValueAsBytes(body);
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(key);
      signer.update(payload);
      Map<String, String> file = new LinkedHashMap<>();
      file.put("payload", Base64.getEncoder().encodeToString(payload));
      file.put("signature", Base64.getEncoder().encodeToString(signer.sign()));
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(file);
    } catch (IOException | GeneralSecurityException e) {
      throw new LicenceException("cannot sign licence: " + e.getMessage());
    }
  }

  /** Keys are stored as base64 of their standard encodings (X.509 for public, PKCS#8 for private), one line. */
  static PublicKey publicKey(String base64) {
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.strip())));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new LicenceException("licence public key is not a base64 X.509 Ed25519 key");
    }
  }

  static PrivateKey privateKey(String base64) {
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64.strip())));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new LicenceException("licence private key is not a base64 PKCS#8 Ed25519 key");
    }
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
