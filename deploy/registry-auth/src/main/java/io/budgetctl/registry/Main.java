package io.budgetctl.registry;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * {@code java -jar registry-auth.jar CONFIG}: the token server of scripts/registry (see {@link Config}). Logs one
 * line per request to stderr (account, scopes asked and granted, status; never a password or a token). Exit 2 on a
 * bad configuration, with one line saying where and what.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    PrintStream err = System.err;
    Consumer<String> log = line -> err.println(Instant.now() + " registry-auth: " + line);
    if (args.length != 1) {
      err.println("usage: java -jar registry-auth.jar CONFIG (a properties file; see scripts/registry)");
      System.exit(2);
    }
    TokenServer server;
    try {
      server = start(Config.load(Path.of(args[0])), log);
    } catch (ConfigException | IllegalArgumentException e) {
      err.println("registry-auth: " + e.getMessage());
      System.exit(2);
      return;
    } catch (IOException e) {
      err.println("registry-auth: cannot listen: " + e.getMessage() + " (hint: is the address in use or not on"
          + " this machine?)");
      System.exit(1);
      return;
    }
    log.accept("listening on " + server.addresses());
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stop.countDown();
    }));
    stop.await();
  }

  static TokenServer start(Config c, Consumer<String> log) throws IOException {
    TokenIssuer issuer = new TokenIssuer(c.issuer(), c.service(), c.ttl(), Pem.privateKey(c.signingKey()),
        Pem.certificates(c.signingCertificate()), Clock.systemUTC());
    Reloading<Accounts> accounts = new Reloading<>(c.accounts(), Accounts::load, log);
    Reloading<Acl> acl = new Reloading<>(c.acl(), Acl::load, log);
    TokenService service = new TokenService(accounts::get, acl::get, issuer);
    return new TokenServer(c.listen(), TokenServer.tls(Pem.certificates(c.tlsCertificate()),
        Pem.privateKey(c.tlsKey())), service, log);
  }
}
