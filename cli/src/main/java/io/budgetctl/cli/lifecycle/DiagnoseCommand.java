package io.budgetctl.cli.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.engine.report.ConsoleListener;
import io.budgetctl.lifecycle.secrets.Redactor;
import io.budgetctl.lifecycle.secrets.SecretResolver;
import io.budgetctl.lifecycle.LifecycleResult;
import io.budgetctl.lifecycle.diagnose.LogFilters;
import io.budgetctl.lifecycle.diagnose.SupportBundle;
import io.budgetctl.lifecycle.secrets.PreflightSecrets;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code budgetctl diagnose --client X [--since WHEN] [--lines N] [--bundle FILE]}: playbooks/diagnose.yml (read-only,
 * no lock) collects status, compose ps, logs, preflight, versions, resources, audit lines and the rendered
 * configuration; every file is redacted ({@link Redactor}: every secret of the customer's configuration, the registry
 * password and the secrets deploy generated on the server, in all their forms) before it enters the tar.gz
 * ({@link SupportBundle}). docs/diagnostics.md.
 */
@Command(name = "diagnose", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Build a support bundle (tar.gz with manifest.json) of a customer's server: status, compose ps,"
                + " the last log lines of each service, preflight checks, versions, disk and memory, audit lines and"
                + " the rendered configuration, every secret redacted. Read-only: takes no lock, changes nothing.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:bundle written", " 1:repository or playbook does not load, a secret cannot be read"
                + " (nothing could be redacted) or the bundle cannot be written",
            " 2:the host failed (the bundle holds what was collected)", " 4:host unreachable", " 5:bad command line",
            " 6:refused by access.yaml"})
public final class DiagnoseCommand extends LifecycleCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What role diagnose registers its status script's result as (stdout: status.json). */
    static final String STATUS_FACT = "budgetctl_status";
    /** What role diagnose registers its collect script's result as (stdout: the files, JSON). */
    static final String DIAGNOSTICS_FACT = "budgetctl_diagnostics";

    @Option(names = "--since", paramLabel = "WHEN", description = "Only log lines since a duration ago (10m, 2h, 7d,"
            + " 1h30m) or an ISO time (2026-12-05T10:00:00Z, 2026-12-05).")
    String since;

    @Option(names = "--lines", paramLabel = "N", defaultValue = "200",
            description = "Last N lines of each service's log, the audit log and dockerd's journal (default 200).")
    int lines;

    @Option(names = "--bundle", paramLabel = "FILE", description = "Where to write the bundle (default:"
            + " diagnose-<client>-<UTC time>.tar.gz in the current directory).")
    Path bundle;

    private Redactor redactor = Redactor.of(List.of());

    @Override
    protected String action() {
        return "diagnose";
    }

    @Override
    protected void checkOptions() {
        if (lines < 1 || lines > 100_000) {
            throw new EngineException(SourceLocation.UNKNOWN, "--lines " + lines + " is not between 1 and 100000",
                    "the bundle is bounded anyway (docs/diagnostics.md); use --since to go further back");
        }
        LogFilters.since("--since", since);
    }

    @Override
    protected Map<String, Object> vars() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("diagnose_lines", lines);
        String s = null;
        try {
            s = LogFilters.since("--since", since);
        } catch (EngineException refusedByCheckOptions) {
            // checkOptions refuses the value (exit 5) before anything runs
        }
        v.put("diagnose_since", s == null ? "" : s);
        return v;
    }

    /**
     * Every secret of the customer's configuration, resolved now: what cannot be read cannot be redacted, so the
     * command stops (exit 1) before it contacts the host. The preflight's secrets are passed to the run as
     * {@code prepare} passes them.
     */
    @Override
    protected Map<String, Object> secretVars(DeploymentsRepository r) {
        SecretResolver resolver = new SecretResolver(r.root());
        SourceLocation where = SourceLocation.of(r.root().resolve("clients").resolve(client + ".yaml").toString());
        List<String> values = new ArrayList<>();
        for (String ref : references(r.mergedClient(client), new ArrayList<>())) {
            try {
                values.add(resolver.resolve(ref, where).reveal());
            } catch (EngineException e) {
                throw new EngineException(where, "cannot redact the support bundle: the secret " + ref
                        + " cannot be read (" + e.getMessage() + ")", "diagnose needs every secret of the customer to"
                        + " remove it from the bundle; run it as someone who can read them (docs/diagnostics.md)");
            }
        }
        // the other customers' secrets this operator can read too: a server holds one only by mistake, and a bundle
        // is where such a mistake must not leak; one that cannot be read is not this customer's and is left out
        for (String other : r.clientIds()) {
            if (other.equals(client)) {
                continue;
            }
            for (String ref : references(r.mergedClient(other), new ArrayList<>())) {
                try {
                    values.add(resolver.resolve(ref, where).reveal());
                } catch (EngineException notReadable) {
                    // not this customer's secret, and not readable by this operator
                }
            }
        }
        String registry = env().get("BUDGETCTL_REGISTRY_PASSWORD");
        if (registry != null) {
            values.add(registry);
        }
        redactor = Redactor.of(values);
        Map<String, Object> secrets = new LinkedHashMap<>(PreflightSecrets.of(r, client));
        List<Secret> all = values.stream().map(Secret::of).toList();
        secrets.put("diagnose_redacted_secrets", all);
        return secrets;
    }

    /** The secret references ({@code sops:}, {@code vault:}) anywhere in a configuration tree. */
    static List<String> references(Object node, List<String> out) {
        if (node instanceof Map<?, ?> m) {
            m.values().forEach(v -> references(v, out));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> references(v, out));
        } else if (node instanceof String s && SecretResolver.isReference(s) && !out.contains(s)) {
            out.add(s);
        }
        return out;
    }

    @Override
    public Integer call() {
        Map<String, Map<String, String>> status = new LinkedHashMap<>();
        Map<String, JsonNode> docs = new LinkedHashMap<>();
        Map<String, Object> preflight = new LinkedHashMap<>();
        StringWriter engineOut = new StringWriter();
        PrintWriter sink = new PrintWriter(engineOut);
        RunListener console = new ConsoleListener(sink, false, verbose.length, false);
        LifecycleResult run = run(playbook(), vars(), List.of(console), STATUS_FACT, DIAGNOSTICS_FACT,
                PreflightSecrets.RESULT_FACT);
        int code = run.exitCode();
        preflight.putAll(run.fact(PreflightSecrets.RESULT_FACT));
        run.stdout(STATUS_FACT).forEach((host, stdout) ->
                status.computeIfAbsent(host, h -> new LinkedHashMap<>()).put("status.json", stdout));
        run.stdout(DIAGNOSTICS_FACT).forEach((host, stdout) -> {
            try {
                docs.put(host, JSON.readTree(stdout));
            } catch (IOException e) {
                status.computeIfAbsent(host, h -> new LinkedHashMap<>()).put("collect-error.txt",
                        "the host's answer is not a JSON document: " + e.getMessage());
            }
        });
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (JsonNode doc : docs.values()) {
            List<String> hostSecrets = new ArrayList<>();
            doc.path("host_secrets").forEach(s -> hostSecrets.add(s.asText()));
            redactor = redactor.and(hostSecrets);
        }
        if (code != 0 || docs.isEmpty()) {
            sink.flush();
            out.print(redactor.redact(engineOut.toString()));
        }
        if (docs.isEmpty() && status.isEmpty()) {
            out.flush();
            return code == 0 ? 2 : code;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Path target = (bundle != null ? bundle : Path.of("diagnose-" + client + "-"
                + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now)
                + ".tar.gz")).toAbsolutePath().normalize();
        SupportBundle b = new SupportBundle(redactor);
        List<String> hosts = new ArrayList<>(status.keySet());
        docs.keySet().stream().filter(h -> !hosts.contains(h)).forEach(hosts::add);
        List<String> skipped = new ArrayList<>();
        for (String host : hosts) {
            String prefix = SupportBundle.validName(host) ? host + "/" : "host-" + hosts.indexOf(host) + "/";
            status.getOrDefault(host, Map.of()).forEach((name, text) -> b.add(prefix + name, text, false));
            if (preflight.get(host) != null) {
                b.add(prefix + "preflight.json", json(preflight.get(host)), false);
            }
            for (JsonNode f : docs.getOrDefault(host, JSON.createObjectNode()).path("files")) {
                String name = f.path("name").asText();
                if (!SupportBundle.validName(prefix + name)) {
                    skipped.add(name);
                    continue;
                }
                b.add(prefix + name, f.path("content").asText() + "\n", f.path("truncated").asBoolean());
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("hosts", hosts);
        details.put("since", since == null ? null : LogFilters.since("--since", since));
        details.put("lines", lines);
        details.put("exit_code", code);
        details.put("skipped_names", skipped);
        Map<String, Object> manifest;
        try {
            manifest = b.write(target, client, version(), now, details);
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(target.toString()), "cannot write the bundle: " + e.getMessage(),
                    "choose another place with --bundle FILE");
        }
        if (output == Format.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("bundle", target.toString());
            doc.put("manifest", manifest);
            out.println(json(doc));
        } else {
            out.printf("support bundle: %s%n  %d files, %d bytes before compression, %d secret values redacted"
                    + " (%d replacements)%n  send it to the vendor as docs/diagnostics.md says%n", target,
                    b.names().size(), (Integer) manifest.get("total_bytes"), redactor.values(), b.redactions());
            if (redactor.tooShort() > 0) {
                err.printf("[WARNING]: %d secret value(s) shorter than %d characters could not be searched for%n",
                        redactor.tooShort(), Redactor.MIN_LENGTH);
            }
        }
        out.flush();
        err.flush();
        return code;
    }

    static String version() {
        Properties p = new Properties();
        try (InputStream in = DiagnoseCommand.class.getResourceAsStream("/io/budgetctl/cli/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version", "unknown");
    }
}
