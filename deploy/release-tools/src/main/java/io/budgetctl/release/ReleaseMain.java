package io.budgetctl.release;

import io.budgetctl.notify.Smtp;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps of scripts/release and scripts/offline-bundle that are worth testing, one subcommand each. Exit codes:
 * 0 done, 1 the step failed (one line on stderr saying why), 2 wrong usage.
 */
public final class ReleaseMain {

  static final String USAGE = """
      usage: release-tools COMMAND [options]
        changelog      --version vX.Y.Z [--repo DIR] [--date YYYY-MM-DD] [--out FILE]
        chart          --version vX.Y.Z --chart DIR --out DIR
        compose-bundle --version vX.Y.Z --compose DIR --out DIR [--mtime ISO-INSTANT]
        offline-bundle --version vX.Y.Z --images TAR --compose-bundle FILE --out DIR [--mtime ISO-INSTANT]
        sums           --dir DIR FILE...            (writes DIR/SHA256SUMS)
        verify         SHA256SUMS
        notify         --version vX.Y.Z --changelog FILE [--url URL] [--artifact NAME]...
                       [--slack-url URL | env SLACK_WEBHOOK_URL]
                       [--smtp-host H --smtp-port P --mail-from A --mail-to A,B [--starttls] | env SMTP_HOST SMTP_PORT MAIL_FROM MAIL_TO]
                       (SMTP_USER / SMTP_PASSWORD from the environment only)
      exit codes: 0 done, 1 the step failed, 2 wrong usage
      """;

  private ReleaseMain() {
  }

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
        new PrintWriter(System.err, true, StandardCharsets.UTF_8), System.getenv(), args));
  }

  static int run(PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      (args.length == 0 ? err : out).print(USAGE);
      (args.length == 0 ? err : out).flush();
      return args.length == 0 ? 2 : 0;
    }
    Options o;
    try {
      o = Options.parse(Arrays.copyOfRange(args, 1, args.length));
    } catch (IllegalArgumentException e) {
      err.println("release-tools: " + e.getMessage() + " (see --help)");
      return 2;
    }
    try {
      switch (args[0]) {
        case "changelog" -> {
          LocalDate date = o.get("date").map(LocalDate::parse).orElse(LocalDate.now(ZoneOffset.UTC));
          String version = o.require("version");
          Bundles.requireVersion(version);
          String md = new Changelog(Path.of(o.get("repo").orElse("."))).section(version, date);
          if (o.get("out").isPresent()) {
            Files.writeString(Path.of(o.get("out").get()), md, StandardCharsets.UTF_8);
          } else {
            out.print(md);
          }
        }
        case "chart" -> out.println(ChartPackager.packageChart(Path.of(o.require("chart")), o.require("version"),
            Path.of(o.require("out"))));
        case "compose-bundle" -> out.println(Bundles.composeBundle(Path.of(o.require("compose")), o.require("version"),
            Path.of(o.require("out")), mtime(o)));
        case "offline-bundle" -> out.println(Bundles.offlineBundle(Path.of(o.require("images")),
            Path.of(o.require("compose-bundle")), o.require("version"), Path.of(o.require("out")), mtime(o)));
        case "sums" -> {
          Path dir = Path.of(o.require("dir"));
          out.println(Checksums.write(dir, o.positional().stream().map(Path::of).toList()));
        }
        case "verify" -> {
          if (o.positional().size() != 1) {
            throw new IllegalArgumentException("verify takes one SHA256SUMS file");
          }
          for (String name : Checksums.verify(Path.of(o.positional().get(0)))) {
            out.println(name + ": OK");
          }
        }
        case "notify" -> notify(out, o, env);
        default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
      }
      out.flush();
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("release-tools: " + e.getMessage() + " (see --help)");
      return 2;
    } catch (ReleaseException e) {
      err.println("release-tools " + args[0] + ": " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("release-tools " + args[0] + ": " + e.getMessage());
      return 1;
    }
  }

  private static void notify(PrintWriter out, Options o, Map<String, String> env) throws IOException {
    String version = o.require("version");
    String changelog = Files.readString(Path.of(o.require("changelog")), StandardCharsets.UTF_8);
    Announcement a = new Announcement(version, o.get("url").orElse(""), changelog, o.all("artifact"));
    String slack = o.get("slack-url").orElse(env.getOrDefault("SLACK_WEBHOOK_URL", ""));
    String mailTo = o.get("mail-to").orElse(env.getOrDefault("MAIL_TO", ""));
    List<String> failures = new ArrayList<>();
    if (!slack.isBlank()) {
      try {
        new SlackNotifier(URI.create(slack)).send(a);
        out.println("notify: Slack webhook OK");
      } catch (ReleaseException | IllegalArgumentException e) {
        failures.add(e.getMessage());
      }
    } else {
      out.println("notify: no Slack webhook configured, skipped");
    }
    if (!mailTo.isBlank()) {
      try {
        Smtp smtp = new Smtp(
            o.get("smtp-host").orElse(env.getOrDefault("SMTP_HOST", "")),
            Integer.parseInt(o.get("smtp-port").orElse(env.getOrDefault("SMTP_PORT", "25"))),
            env.getOrDefault("SMTP_USER", ""), env.getOrDefault("SMTP_PASSWORD", ""),
            o.flag("starttls") || "true".equals(env.get("SMTP_STARTTLS")),
            o.get("mail-from").orElse(env.getOrDefault("MAIL_FROM", "")));
        List<String> to = Arrays.stream(mailTo.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        new MailNotifier(smtp).send(a, to);
        out.println("notify: mail to " + to.size() + " recipient(s) OK");
      } catch (ReleaseException | NumberFormatException e) {
        failures.add(e.getMessage());
      }
    } else {
      out.println("notify: no mail list configured, skipped");
    }
    if (!failures.isEmpty()) {
      throw new ReleaseException(String.join("; ", failures));
    }
  }

  private static Instant mtime(Options o) {
    return o.get("mtime").map(Instant::parse).orElse(Instant.parse("2000-01-01T00:00:00Z"));
  }

  /** --key value pairs (repeatable), --flag for the known flags, the rest positional. */
  record Options(Map<String, List<String>> values, List<String> positional) {
    private static final List<String> FLAGS = List.of("starttls");

    static Options parse(String[] args) {
      Map<String, List<String>> values = new HashMap<>();
      List<String> positional = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.startsWith("--")) {
          String key = a.substring(2);
          if (FLAGS.contains(key)) {
            values.computeIfAbsent(key, k -> new ArrayList<>()).add("true");
            continue;
          }
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("option " + a + " needs a value");
          }
          values.computeIfAbsent(key, k -> new ArrayList<>()).add(args[++i]);
        } else {
          positional.add(a);
        }
      }
      return new Options(values, positional);
    }

    java.util.Optional<String> get(String key) {
      List<String> v = values.get(key);
      return v == null ? java.util.Optional.empty() : java.util.Optional.of(v.get(v.size() - 1));
    }

    List<String> all(String key) {
      return values.getOrDefault(key, List.of());
    }

    boolean flag(String key) {
      return values.containsKey(key);
    }

    String require(String key) {
      return get(key).orElseThrow(() -> new IllegalArgumentException("--" + key + " is required"));
    }
  }

}
