package io.budgetctl.registry;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The token server's settings, a properties file (scripts/registry writes it as auth.properties):
 * <pre>
 * listen = 127.0.0.1:5444 172.17.0.1:5444     one or more IP:PORT, space-separated
 * tls.certificate = server.crt                 HTTPS certificate (chain) and key, PEM
 * tls.key = server.key
 * signing.certificate = token.crt              token signing certificate (in the registry's rootcertbundle) and key
 * signing.key = token.key
 * accounts = htpasswd                          bcrypt htpasswd file
 * acl = acl                                    see {@link Acl}
 * issuer = itbm-registry-auth                  the registry's auth.token.issuer
 * service = itbm-registry                      the registry's auth.token.service (the tokens' audience)
 * ttl = 300                                    token lifetime in seconds (60..3600)
 * </pre>
 * Relative paths are resolved against the properties file's directory.
 */
record Config(List<InetSocketAddress> listen, Path tlsCertificate, Path tlsKey, Path signingCertificate,
    Path signingKey, Path accounts, Path acl, String issuer, String service, Duration ttl) {
  private static final Set<String> KEYS = Set.of("listen", "tls.certificate", "tls.key", "signing.certificate",
      "signing.key", "accounts", "acl", "issuer", "service", "ttl");

  static Config load(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException(file, "cannot read: " + e.getMessage(), "java -jar registry-auth.jar CONFIG-FILE");
    }
    for (String k : p.stringPropertyNames()) {
      if (!KEYS.contains(k)) {
        throw new ConfigException(file, "unknown setting '" + Scope.printable(k) + "'", "known: " + String.join(", ", new java.util.TreeSet<>(KEYS)));
      }
    }
    Path dir = file.toAbsolutePath().getParent();
    List<InetSocketAddress> listen = new ArrayList<>();
    for (String a : required(file, p, "listen").split("\\s+")) {
      int colon = a.lastIndexOf(':');
      try {
        listen.add(new InetSocketAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1))));
      } catch (RuntimeException e) {
        throw new ConfigException(file, "listen address '" + Scope.printable(a) + "' is not IP:PORT",
            "e.g. listen = 127.0.0.1:5444");
      }
    }
    long ttl;
    try {
      ttl = Long.parseLong(p.getProperty("ttl", "300").strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(file, "ttl is not a number of seconds", "e.g. ttl = 300");
    }
    if (ttl < 60 || ttl > 3600) {
      throw new ConfigException(file, "ttl " + ttl + " is out of range", "60..3600 seconds; short is the point");
    }
    return new Config(List.copyOf(listen), path(file, dir, p, "tls.certificate"), path(file, dir, p, "tls.key"),
        path(file, dir, p, "signing.certificate"), path(file, dir, p, "signing.key"), path(file, dir, p, "accounts"),
        path(file, dir, p, "acl"), required(file, p, "issuer"), required(file, p, "service"), Duration.ofSeconds(ttl));
  }

  private static String required(Path file, Properties p, String key) {
    String v = p.getProperty(key, "").strip();
    if (v.isEmpty()) {
      throw new ConfigException(file, "missing setting '" + key + "'", "see scripts/registry for a complete file");
    }
    return v;
  }

  private static Path path(Path file, Path dir, Properties p, String key) {
    return dir.resolve(required(file, p, key));
  }
}
