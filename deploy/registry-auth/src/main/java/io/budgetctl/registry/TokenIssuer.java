package io.budgetctl.registry;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signs the bearer tokens the registry verifies (distribution's "Token Authentication Implementation"): a JWS with
 * ES256 (EC P-256 key) or RS256 (RSA key), the signing certificate chain in the {@code x5c} header (the registry checks
 * it against its {@code rootcertbundle}), and the claims iss, sub (the account), aud (the registry's service name, a
 * single string as distribution 2.8 reads it), exp, nbf, iat, jti and {@code access}: the granted scopes only.
 */
final class TokenIssuer {
  record Issued(String token, Instant issuedAt, Duration expiresIn, List<Scope> access) {}

  private final String issuer;
  private final String service;
  private final Duration ttl;
  private final JWSSigner signer;
  private final JWSAlgorithm algorithm;
  private final List<Base64> chain;
  private final Clock clock;

  TokenIssuer(String issuer, String service, Duration ttl, PrivateKey key, List<X509Certificate> chain, Clock clock) {
    if (ttl.compareTo(Duration.ofSeconds(60)) < 0 || ttl.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("token lifetime must be 60..3600 s, not " + ttl.toSeconds());
    }
    this.issuer = issuer;
    this.service = service;
    this.ttl = ttl;
    this.clock = clock;
    try {
      if (key instanceof ECPrivateKey ec) {
        this.algorithm = ECDSA.resolveAlgorithm(ec);
        this.signer = new ECDSASigner(ec);
      } else if (key instanceof RSAPrivateKey rsa) {
        this.algorithm = JWSAlgorithm.RS256;
        this.signer = new RSASSASigner(rsa);
      } else {
        throw new IllegalArgumentException("signing key must be EC or RSA, not " + key.getAlgorithm());
      }
      List<Base64> x5c = new ArrayList<>();
      for (X509Certificate c : chain) {
        x5c.add(Base64.encode(c.getEncoded()));
      }
      this.chain = List.copyOf(x5c);
    } catch (JOSEException | CertificateEncodingException e) {
      throw new IllegalArgumentException("cannot use the signing key/certificate: " + e.getMessage(), e);
    }
  }

  String service() {
    return service;
  }

  Issued issue(String account, List<Scope> access) {
    Instant now = clock.instant();
    Instant exp = now.plus(ttl);
    List<Map<String, Object>> claim = new ArrayList<>();
    for (Scope s : access) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", s.type());
      m.put("name", s.name());
      m.put("actions", s.actions().stream().sorted().toList());
      claim.add(m);
    }
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(account)
        .audience(service)
        .expirationTime(Date.from(exp))
        .notBeforeTime(Date.from(now))
        .issueTime(Date.from(now))
        .jwtID(UUID.randomUUID().toString())
        .claim("access", claim)
        .build();
    JWSHeader header = new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).x509CertChain(chain).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing the token failed: " + e.getMessage(), e);
    }
    return new Issued(jwt.serialize(), now, ttl, List.copyOf(access));
  }
}
