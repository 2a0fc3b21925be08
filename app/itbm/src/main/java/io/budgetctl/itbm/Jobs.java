package io.budgetctl.itbm;

import java.time.Duration;
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
    JedisClientConfig cc = DefaultJedisClientConfig.builder()
        .password(config.redisPassword())
        .connectionTimeoutMillis(3000)
        .socketTimeoutMillis(15000)
        .build();
    JedisPoolConfig pc = new JedisPoolConfig();
    pc.setMaxTotal(8);
    pc.setMaxWait(Duration.ofSeconds(5));
    pc.setJmxEnabled(false);
    this.pool = new JedisPool(pc, new HostAndPort(config.redisHost(), config.redisPort()), cc);
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
