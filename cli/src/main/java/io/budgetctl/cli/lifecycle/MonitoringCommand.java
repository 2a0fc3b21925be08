package io.budgetctl.cli.lifecycle;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.secrets.SecretResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code budgetctl monitoring install|status|remove --client X}: playbooks/monitoring.yml, the node exporter (TLS and
 * basic auth from the client file's {@code monitoring.node_exporter}) and the product's own metrics on the customer's
 * server (docs/monitoring.md), and the log shipper when the client has {@code monitoring.logs}
 * (docs/monitoring-logs.md). install and remove are the access action {@code monitoring}; status is {@code status}.
 */
@Command(name = "monitoring", mixinStandardHelpOptions = true,
        description = "The monitoring agents on a customer's server (docs/monitoring.md).",
        subcommands = {MonitoringCommand.Install.class, MonitoringCommand.Status.class,
            MonitoringCommand.Remove.class})
public final class MonitoringCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What the three subcommands share: the playbook and the action variable. */
    abstract static class Base extends LifecycleCommand {
        abstract String verb();

        @Override
        protected String playbook() {
            return "monitoring";
        }

        @Override
        protected Map<String, Object> vars() {
            return Map.of("node_exporter_action", verb());
        }

        /** install and remove change the server (action monitoring); status only looks (action status). */
        @Override
        protected String action() {
            return verb().equals("status") ? "status" : "monitoring";
        }
    }

    /** {@code monitoring install}: converge the agents to the client file. */
    @Command(name = "install", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Install or converge the node exporter (TLS, basic auth) and the product's metrics as the"
                    + " client file's monitoring section says; checks that it answers with the password, not without."
                    + " With monitoring.logs also the log shipper (container logs and journal to the vendor's"
                    + " collector over RELP and TLS, disk-buffered). A second run changes nothing.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {" 0:installed and answering", " 1:repository, client file or secret does not load",
                " 2:a task failed (the message says which)", " 4:host unreachable", " 5:bad command line",
                " 6:not allowed (access.yaml action monitoring)"})
    public static final class Install extends Base {
        @Override
        String verb() {
            return "install";
        }

        @Override
        protected Map<String, Object> repositoryVars(DeploymentsRepository r) {
            Map<String, Object> ne = settings(r, client);
            Map<String, Object> v = new LinkedHashMap<>();
            if (ne.get("tls") instanceof Map<?, ?> tls && tls.get("cert") instanceof String cert) {
                v.put("node_exporter_tls_cert", readCert(r, client, cert, "monitoring.node_exporter.tls.cert"));
            }
            Map<String, Object> logs = logs(r, client);
            if (logs != null && logs.get("ca") instanceof String ca) {
                v.put("log_shipper_ca", readCert(r, client, ca, "monitoring.logs.ca"));
            }
            if (logs != null && logs.get("cert") instanceof String cert) {
                v.put("log_shipper_cert", readCert(r, client, cert, "monitoring.logs.cert"));
            }
            return v;
        }

        @Override
        protected Map<String, Object> secretVars(DeploymentsRepository r) {
            Map<String, Object> ne = settings(r, client);
            SecretResolver resolver = resolver(r.root());
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("node_exporter_password", secret(r, client, resolver, ne.get("password"),
                    "node_exporter.password"));
            if (ne.get("tls") instanceof Map<?, ?> tls) {
                v.put("node_exporter_tls_key", secret(r, client, resolver, tls.get("key"), "node_exporter.tls.key"));
            }
            Map<String, Object> logs = logs(r, client);
            if (logs != null && (logs.containsKey("key") || logs.containsKey("cert"))) {
                // the schema asks for both; a key without its certificate (or the reverse) is refused here too
                v.put("log_shipper_key", secret(r, client, resolver, logs.get("key"), "logs.key"));
            }
            return v;
        }
    }

    /** {@code monitoring status}: read-only. */
    @Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Whether the agents are installed and running, the exporter's certificate (SHA-256"
                    + " fingerprint to pin, expiry), how fresh the product's metrics are, and where the log shipper"
                    + " sends and how much waits in its disk queue. Read-only.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {" 0:not installed, or installed and healthy", " 1:repository does not load",
                " 2:installed but not healthy (exporter down, metrics stale)", " 4:host unreachable",
                " 5:bad command line", " 6:not allowed (access.yaml action status)"})
    public static final class Status extends Base {
        @Override
        String verb() {
            return "status";
        }
    }

    /** {@code monitoring remove}: everything the install put there. */
    @Command(name = "remove", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Remove the agents: containers, configuration, key, metrics script, cron entry, metrics"
                    + " files and the log shipper's disk queue; checks that nothing is left. The images stay.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {" 0:removed (or was not there)", " 1:repository does not load",
                " 2:something could not be removed", " 4:host unreachable", " 5:bad command line",
                " 6:not allowed (access.yaml action monitoring)"})
    public static final class Remove extends Base {
        @Override
        String verb() {
            return "remove";
        }
    }

    private static SourceLocation clientFile(DeploymentsRepository r, String client) {
        return SourceLocation.of(r.root().resolve("clients").resolve(client + ".yaml").toString());
    }

    /** {@code monitoring.node_exporter} of the merged client; refused when absent or disabled. */
    static Map<String, Object> settings(DeploymentsRepository r, String client) {
        Map<String, Object> map = section(r, client, "node_exporter");
        if (map == null) {
            throw new EngineException(clientFile(r, client), "customer '" + client
                    + "' has no monitoring.node_exporter section (or it says enabled: false)",
                    "add monitoring: {node_exporter: {password: sops:secrets/" + client
                            + ".sops.yaml#node_exporter_password}} to the client file or its environment's"
                            + " defaults (docs/monitoring.md)");
        }
        return map;
    }

    /** A secret reference of the settings, resolved now: a missing key stops the command before any host. */
    private static Secret secret(DeploymentsRepository r, String client, SecretResolver resolver, Object ref,
                                 String field) {
        SourceLocation where = clientFile(r, client);
        if (!(ref instanceof String s) || !SecretResolver.isReference(s)) {
            throw new EngineException(where, "monitoring." + field + " of '" + client
                    + "' must be a secret reference (sops:FILE#KEY or vault:PATH#KEY)" + (ref == null ? ", not missing"
                    : ", not a plain value"), "store it with 'budgetctl secrets edit' and refer to it"
                    + " (docs/secrets.md)");
        }
        return resolver.resolve(s, where);
    }

    /** {@code monitoring.logs} of the merged client when present and not disabled (the log shipper), else null. */
    static Map<String, Object> logs(DeploymentsRepository r, String client) {
        return section(r, client, "logs");
    }

    /** {@code monitoring.<name>} of the merged client when present and not {@code enabled: false}, else null. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(DeploymentsRepository r, String client, String name) {
        Object m = r.mergedClient(client).get("monitoring");
        Object section = m instanceof Map<?, ?> mm ? mm.get(name) : null;
        return section instanceof Map<?, ?> map && !Boolean.FALSE.equals(map.get("enabled"))
                ? (Map<String, Object>) map : null;
    }

    /** A certificate from the repository (the exporter's, the log collector's CA): a PEM file inside it. */
    private static String readCert(DeploymentsRepository r, String client, String rel, String field) {
        Path root = r.root().toAbsolutePath().normalize();
        Path file = root.resolve(rel).normalize();
        SourceLocation where = clientFile(r, client);
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            throw new EngineException(where, field + " '" + rel + "' of '" + client
                    + "' is not a file inside the deployments repository", "give a path relative to " + root);
        }
        try {
            String pem = Files.readString(file);
            if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
                throw new EngineException(SourceLocation.of(file.toString()), "not a PEM certificate",
                        field + " must be a PEM file (-----BEGIN CERTIFICATE-----)");
            }
            return pem;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
