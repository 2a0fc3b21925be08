package io.budgetctl.packaging;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A throw-away CA and a server certificate for localhost / 127.0.0.1, made with openssl at test time. */
final class TestPki {
  final Path caCert;
  final Path cert;
  final Path key;

  private TestPki(Path caCert, Path cert, Path key) {
    this.caCert = caCert;
    this.cert = cert;
    this.key = key;
  }

  static TestPki create(Path dir, String... extraSans) throws Exception {
    Files.createDirectories(dir);
    Map<String, String> env = Map.of();
    Cmd.ok(dir, env, 60, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
        "-days", "2", "-subj", "/CN=itbm test CA");
    Cmd.ok(dir, env, 60, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "server.csr",
        "-subj", "/CN=localhost");
    StringBuilder san = new StringBuilder("subjectAltName=DNS:localhost,IP:127.0.0.1");
    for (String s : extraSans) {
      san.append(',').append(s);
    }
    Files.writeString(dir.resolve("ext.cnf"), san + "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
    Cmd.ok(dir, env, 60, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "cert.pem", "-days", "2", "-extfile", "ext.cnf");
    Files.delete(dir.resolve("ca.key"));
    return new TestPki(dir.resolve("ca.crt"), dir.resolve("cert.pem"), dir.resolve("key.pem"));
  }

  /** An SSLContext that trusts only the test CA: a wrong or self-signed server certificate fails the handshake. */
  SSLContext clientContext() throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(caCert)) {
      ks.setCertificateEntry("itbm-test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
