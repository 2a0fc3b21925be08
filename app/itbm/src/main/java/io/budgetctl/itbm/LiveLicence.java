package io.budgetctl.itbm;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The licence the services use, re-read when its file changes: {@code budgetctl modules sync} installs a newly
 * signed licence into the running release's licence directory and every service picks it up within
 * {@code intervalMillis}, without a restart (docs/licence-portal.md). At start the licence is loaded as before (a bad one stops
 * the service). Later a file that does not verify, or that disappeared, is logged and the licence in use stays: a
 * tampered or half-copied file never takes a customer's modules away.
 */
final class LiveLicence implements Supplier<Licence> {
  private final Config config;
  private final PrintStream log;
  private final long intervalMillis;
  private final LongSupplier clock;
  private volatile Licence current;
  private String seen;
  private long nextCheck;

  LiveLicence(Config config, PrintStream log) {
    this(config, log, 5000, System::currentTimeMillis);
  }

  LiveLicence(Config config, PrintStream log, long intervalMillis, LongSupplier clock) {
    this.config = config;
    this.log = log;
    this.intervalMillis = intervalMillis;
    this.clock = clock;
    this.seen = stamp();
    this.current = Backend.loadLicence(config);
    this.nextCheck = clock.getAsLong() + intervalMillis;
  }

  @Override
  public Licence get() {
    if (clock.getAsLong() >= nextCheck) {
      check();
    }
    return current;
  }

  private synchronized void check() {
    long now = clock.getAsLong();
    if (now < nextCheck) {
      return;
    }
    nextCheck = now + intervalMillis;
    String stamp = stamp();
    if (stamp.equals(seen)) {
      return;
    }
    seen = stamp;
    Licence was = current;
    if (config.licenceFile().isEmpty() || !Files.exists(config.licenceFile().get())) {
      log.println("licence: " + config.licenceFile().map(Path::toString).orElse("LICENCE_FILE") + " is gone;"
          + " keeping licence " + describe(was));
      return;
    }
    try {
      Licence next = Backend.loadLicence(config);
      if (!next.equals(was)) {
        current = next;
        log.println("licence: reloaded " + describe(next) + " (was " + describe(was) + ")");
      }
    } catch (ConfigException e) {
      log.println("licence: the changed file is refused (" + e.getMessage() + "); keeping licence " + describe(was));
    }
  }

  private static String describe(Licence l) {
    return (l.id() == null ? "(none)" : l.id()) + " for " + l.customer() + ", modules " + l.modules()
        + (l.expires() == null ? "" : ", until " + l.expires());
  }

  /** SHA-256 over the licence file and the public key file (both small): what "changed" means. */
  private String stamp() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Optional<Path> p : java.util.List.of(config.licenceFile(), config.licencePublicKeyFile())) {
        md.update((byte) 0);
        if (p.isPresent() && Files.isRegularFile(p.get())) {
          md.update(Files.readAllBytes(p.get()));
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      return "unreadable:" + e.getMessage();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
