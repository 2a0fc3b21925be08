package io.budgetctl.itbm;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * One artifact, several commands: the images differ only in which command they run.
 * <pre>
 *   itbm backend     HTTP API (never migrates)
 *   itbm migrate     apply the Flyway migrations up to the schema version this build expects, then exit
 *   itbm worker      take jobs from Redis, write results to PostgreSQL
 *   itbm scheduler   enqueue periodic jobs, send the licence-portal heartbeat
 *   itbm licence keygen DIR | sign PRIVATE_KEY CUSTOMER EXPIRES MODULE,... OUT   (vendor tooling, tests, demos)
 *   itbm version     print the build's version line
 * </pre>
 * Exit codes: 0 ok, 1 runtime failure, 2 bad usage or configuration.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int rc = run(args, System.out, System.err);
    if (rc != 0 || args.length == 0 || !isService(args[0])) {
      System.exit(rc);
    }
  }

  private static boolean isService(String cmd) {
    return cmd.equals("backend") || cmd.equals("worker") || cmd.equals("scheduler");
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("usage: itbm backend|migrate|worker|scheduler|licence|version");
      return 2;
    }
    try {
      Config config = Config.fromEnvironment(System.getenv());
      switch (args[0]) {
        case "backend" -> Backend.start(config, out);
        case "migrate" -> {
          Migrations.Outcome o = Migrations.migrate(config);
          out.printf("migrate: schema %s -> %s (this build %s expects %s)%n",
              o.before(), o.after(), config.version().appVersion(), config.version().expectedSchema());
        }
        case "worker" -> new Worker(config, out).start();
        case "scheduler" -> new Scheduler(config, out).start();
        case "licence" -> LicenceTool.run(Arrays.copyOfRange(args, 1, args.length), out);
        case "version" -> out.println(config.version().appVersion() + " " + config.version().gitSha()
            + " schema " + config.version().expectedSchema());
        default -> {
          err.println("itbm: unknown command '" + args[0] + "'; known: backend migrate worker scheduler licence version");
          return 2;
        }
      }
      return 0;
    } catch (ConfigException e) {
      err.println("itbm: configuration: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("itbm: " + args[0] + " failed: " + e.getMessage());
      return 1;
    }
  }
}
