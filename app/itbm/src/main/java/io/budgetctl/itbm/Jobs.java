package io.budgetctl.itbm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

/** The Redis side: the job queue (a list, LPUSH / BRPOP) and heartbeat keys. */
final class Jobs implements AutoCloseable {
  static final String QUEUE = "itbm:jobs";
  static final String WORKER_HEARTBEAT = "itbm:heartbeat:worker:";
  static final String SCHEDULER_HEARTBEAT = "itbm:heartbeat:scheduler:";

  final JedisPool pool;

  Jobs(Config config) {
    DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
        .password(config.redisPassword())
        .database(config.redisDb())
        .connectionTimeoutMillis(3000)
        .socketTimeoutMillis(15000);
    if (config.redisTls()) {
      b.ssl(true).sslSocketFactory(sslSocketFactory(config));
      if (config.redisVerify()) {
        // the handshake checks the certificate against the host name of REDIS_URL (as HTTPS does)
        SSLParameters p = new SSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        b.sslParameters(p);
      }
    }
    JedisClientConfig cc = b.build();
    JedisPoolConfig pc = new JedisPoolConfig();
    pc.setMaxTotal(8);
    pc.setMaxWait(Duration.ofSeconds(5));
    pc.setJmxEnabled(false);
    this.pool = new JedisPool(pc, new HostAndPort(config.redisHost(), config.redisPort()), cc);
  }

  /**
   * TLS to Redis: with verification, the chain must lead to a certificate of REDIS_CA_FILE (PEM, one or more), or
   * to one the JVM trusts when no CA file is given or it is empty; without (REDIS_TLS_VERIFY=none), any certificate.
   */
  static SSLSocketFactory sslSocketFactory(Config config) {
    try {
      TrustManager[] trust = null;
      if (!config.redisVerify()) {
        trust = new TrustManager[] {new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {
          }

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {
          }

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        }};
      } else if (config.redisCaFile().isPresent() && Files.size(config.redisCaFile().get()) > 0) {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(config.redisCaFile().get())) {
          int i = 0;
          for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            ks.setCertificateEntry("redis-ca-" + i++, c);
          }
          if (i == 0) {
            throw new ConfigException("REDIS_CA_FILE=" + config.redisCaFile().get() + " holds no PEM certificate");
          }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        trust = tmf.getTrustManagers();
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, trust, null);
      return ctx.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("REDIS_CA_FILE=" + config.redisCaFile().map(Object::toString).orElse("")
          + " cannot be used as the Redis CA (" + e.getMessage() + ")");
    }
  }

  static String monthlyReportJob(String period) {
    return "{\"type\":\"monthly-report\",\"period\":\"" + Validation.period(period, "period") + "\"}";
  }

  void enqueue(String json) {
    try (var j = pool.getResource()) {
      j.lpush(QUEUE, json);
    }
  }

  boolean ping() {
    try (var j = pool.getResource()) {
      return "PONG".equals(j.ping());
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
