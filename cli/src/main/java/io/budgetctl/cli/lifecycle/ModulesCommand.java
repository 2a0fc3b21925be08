package io.budgetctl.cli.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.budgetctl.cli.Errors;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.lifecycle.repo.Authorizer;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.repo.Identifiers;
import io.budgetctl.engine.run.ExitCodes;
import io.budgetctl.lifecycle.Lifecycle;
import io.budgetctl.lifecycle.licence.DesiredStatePublish;
import io.budgetctl.lifecycle.licence.ModulesSync;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code budgetctl modules sync}: the customer's licensed modules from the licence portal (docs/licence-portal.md). */
@Command(name = "modules", mixinStandardHelpOptions = true,
        description = "A customer's licensed modules and limits, as the licence portal signed them (docs/licence-portal.md).",
        subcommands = {ModulesCommand.Sync.class, ModulesCommand.Install.class, ModulesCommand.Publish.class})
public final class ModulesCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options map onto {@link ModulesSync.Request}; the work is {@link ModulesSync#run}. */
    @Command(name = "sync", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Fetch the customer's signed licence from the licence portal (or --from-file), verify it"
                    + " against the repository's trusted keys (licences/keys/*.pub), show how it differs from the"
                    + " client file's modules and limits, then (without --check) update the client file in place,"
                    + " keeping its comments and layout, write licences/<client>.json, and install it on the"
                    + " customer's server, where the services use it without a restart ('modules install'; not with"
                    + " --no-install, nor for Helm customers, whose next upgrade carries it). --all does every"
                    + " customer. Portal: portal.yaml's url/token or BUDGETCTL_PORTAL_URL/_TOKEN.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {" 0:in sync, or updated (and installed)", " 1:the portal, the licence or the repository"
                    + " refused (nothing changed for that customer; with --all: for at least one, or an install failed)",
                " 2:--check: the repository differs from the licence; or the install failed on the server",
                " 4:the server is unreachable (the repository is updated)",
                " 5:bad command line", " 6:access.yaml does not allow it"})
    public static final class Sync implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Spec
        CommandSpec spec;

        @Option(names = "--client", paramLabel = "ID", description = "The customer (client id).")
        String client;

        @Option(names = "--all", description = "Every customer of the repository, one after the other; a refusal for"
                + " one is reported and the others go on (exit 1 at the end).")
        boolean all;

        @Option(names = "--from-file", paramLabel = "FILE", description = "Take the signed licence from FILE instead"
                + " of the portal (a customer whose controller cannot reach it); with --client only.")
        Path fromFile;

        @Option(names = "--check", description = "Only show the difference; change nothing (exit 2 when it differs).")
        boolean check;

        @Option(names = "--no-install", description = "Only update the repository; the server gets the licence at the"
                + " next deploy or 'modules install'.")
        boolean noInstall;

        @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
                description = "Extra variables for the install on the server, as for the lifecycle commands (e.g. the"
                        + " SSH key: ansible_ssh_private_key_file=...).")
        List<String> extraVars = new java.util.ArrayList<>();

        @Mixin
        PortalOptions options;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Map<String, String> env = LifecycleCommand.env();
            try {
                if (all == (client != null)) {
                    throw new EngineException(SourceLocation.UNKNOWN, "give either --client ID or --all",
                            "budgetctl modules sync --client acme, or --all for every customer");
                }
                if (all && fromFile != null) {
                    throw new EngineException(SourceLocation.UNKNOWN, "--from-file is one customer's licence: use it"
                            + " with --client, not --all", "budgetctl modules sync --client acme --from-file FILE");
                }
                if (client != null) {
                    Identifiers.check("--client", Identifiers.Kind.CLIENT, client);
                }
                options.checkTimeout();
            } catch (EngineException bad) {
                Errors.report(bad, err);
                return ExitCodes.USAGE;
            }
            DeploymentsRepository r = options.repository(env);
            if (client != null && !r.clientIds().contains(client)) {
                throw new EngineException(SourceLocation.of(r.root().resolve("clients").toString()),
                        "no customer '" + client + "' in the deployments repository " + r.root(),
                        "known customers: " + String.join(", ", r.clientIds()));
            }
            int failed = 0;
            int differ = 0;
            List<String> clients = all ? r.clientIds() : List.of(client);
            for (String c : clients) {
                try {
                    Path home = Path.of(System.getProperty("user.home"));
                    Lifecycle.authorize(r, "modules-sync", c, check ? Map.of("check", "true") : Map.of(), env, home);
                    ModulesSync.Result res = ModulesSync.run(new ModulesSync.Request(r, c, check, env,
                            LifecycleCommand.operator(), LocalDate.now(ZoneOffset.UTC), options.timeout(),
                            fromFile == null ? null : fromFile.toAbsolutePath().normalize()));
                    differ += res.inSync() ? 0 : 1;
                    boolean installs = installs(r, c, res);
                    if (options.output == LifecycleCommand.Format.json) {
                        out.println(json(r.root(), res));
                    } else {
                        human(out, r.root(), res, installs);
                    }
                    if (installs) {
                        out.flush();
                        int installed = install(r, c, out, err);
                        if (installed != 0) {
                            err.printf("%s: the repository has the new licence, but installing it on the server failed"
                                    + " (exit %d); the running release keeps its licence. Fix and run: budgetctl"
                                    + " modules install --client %s%n", c, installed, c);
                            if (!all) {
                                return installed;
                            }
                            failed++;
                        }
                    }
                } catch (Authorizer.Denied denied) {
                    if (!all) {
                        Errors.report(denied, err);
                        return denied.exitCode();
                    }
                    failed++;
                    err.println(c + ": ERROR! " + denied.getMessage());
                } catch (EngineException e) {
                    if (!all) {
                        throw e;
                    }
                    failed++;
                    err.println(c + ": ERROR! " + e.oneLine());
                }
                out.flush();
                err.flush();
            }
            if (all && options.output != LifecycleCommand.Format.json) {
                out.printf("modules sync --all: %d customers, %d in sync, %d %s, %d refused%n", clients.size(),
                        clients.size() - differ - failed, differ, check ? "differ" : "updated", failed);
                out.flush();
            }
            return failed > 0 ? 1 : check && differ > 0 ? 2 : 0;
        }

        /** Whether this sync goes on to install the licence on the server: a changed licence, a compose customer. */
        private boolean installs(DeploymentsRepository r, String c, ModulesSync.Result res) {
            return !check && !noInstall && res.licenceFileChanged()
                    && r.mergedClient(c).get("target") instanceof Map<?, ?> t && "compose".equals(t.get("type"));
        }

        /** {@code modules install --client c} with this command's repository, output format and -e values. */
        private int install(DeploymentsRepository r, String c, PrintWriter out, PrintWriter err) {
            List<String> args = new java.util.ArrayList<>(List.of("--client", c, "--repo", r.root().toString(),
                    "-o", options.output.name()));
            extraVars.forEach(e -> args.addAll(List.of("-e", e)));
            picocli.CommandLine cl = new picocli.CommandLine(new Install());
            cl.setOut(out);
            cl.setErr(err);
            return cl.execute(args.toArray(String[]::new));
        }

        private static void human(PrintWriter out, Path root, ModulesSync.Result res, boolean installs) {
            var l = res.licence();
            out.printf("%s: licence %s, valid until %s, verified with key %s (%s)%n", res.client(), l.licenceId(),
                    l.expires(), l.keyId(), res.keySource());
            res.added().forEach(m -> out.printf("  modules  + %s%n", m));
            res.removed().forEach(m -> out.printf("  modules  - %s%n", m));
            res.limits().forEach(c -> out.printf("  limits   %s: %s -> %s%n", c.name(),
                    c.from() == null ? "(none)" : c.from(), c.to() == null ? "(none)" : c.to()));
            String cf = root.relativize(res.clientFile()).toString();
            String lf = root.relativize(res.licenceFile()).toString();
            if (res.inSync()) {
                out.printf("in sync: %s and %s match the portal's licence%n", cf, lf);
                return;
            }
            String verb = res.check() ? "would be " : "";
            if (res.clientFileChanged()) {
                out.printf("%s %supdated (comments and layout kept)%n", cf, verb);
            }
            if (res.licenceFileChanged()) {
                out.printf("%s %swritten%n", lf, verb);
            }
            if (res.check()) {
                out.printf("--check: nothing changed%n");
            } else if (installs) {
                out.printf("installing the licence on the server (no restart, no new release)%n");
            } else {
                out.printf("the server gets the new licence and modules at the next deploy or: budgetctl modules"
                        + " install --client %s%n", res.client());
            }
        }

        private static String json(Path root, ModulesSync.Result res) {
            ObjectNode o = JSON.createObjectNode();
            o.put("client", res.client()).put("licence", res.licence().licenceId())
                    .put("expires", res.licence().expires().toString()).put("key_id", res.licence().keyId())
                    .put("check", res.check()).put("in_sync", res.inSync());
            ArrayNode a = o.putArray("modules_added");
            res.added().forEach(a::add);
            ArrayNode rm = o.putArray("modules_removed");
            res.removed().forEach(rm::add);
            ArrayNode lim = o.putArray("limits");
            res.limits().forEach(c -> lim.addObject().put("name", c.name()).put("from", c.from()).put("to", c.to()));
            o.put("client_file", root.relativize(res.clientFile()).toString())
                    .put("client_file_changed", res.clientFileChanged())
                    .put("licence_file", root.relativize(res.licenceFile()).toString())
                    .put("licence_file_changed", res.licenceFileChanged());
            return o.toString();
        }
    }

    /**
     * {@code modules install --client X}: the repository's signed licence into the running release on the server,
     * where the services pick it up without a restart (playbooks/licence.yml). Two runs: the release record is read
     * first (playbooks/plan.yml), then the licence and the record with the licence settings and fingerprint updated
     * are written under the deploy lock, so {@code plan} and {@code deploy} see the server up to date afterwards.
     */
    @Command(name = "install", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Install the repository's signed licence (licences/<client>.json, written by 'modules sync')"
                    + " into the running release on the customer's server; every service uses it within seconds,"
                    + " without a restart or a new release. 'modules sync' runs this itself unless --no-install."
                    + " A customer not deployed yet gets it at its first deploy.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {" 0:installed and in use (or not deployed yet)", " 1:repository or licence does not load",
                " 2:failed on the server (the running release keeps its licence)", " 4:host unreachable",
                " 5:bad command line", " 6:not allowed (access.yaml action modules-sync)"})
    public static final class Install extends LifecycleCommand {
        @Override
        protected String action() {
            return "modules-sync";
        }

        @Override
        protected String playbook() {
            return "licence";
        }

        @Override
        protected Map<String, Object> vars() {
            return Map.of();
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            // 1: what runs there
            ReadCommand.TaskRead read = ReadCommand.read(this, "plan", Map.of());
            if (read.failed() || read.docs().size() != 1) {
                return read.reportFailure(out);
            }
            Map<String, com.fasterxml.jackson.databind.JsonNode> docs = read.docs();
            com.fasterxml.jackson.databind.JsonNode doc = docs.values().iterator().next();
            DeploymentsRepository r = DeploymentsRepository.open(repoDir());
            // the repository's licence, verified again with its trusted keys (the file may have changed since sync)
            io.budgetctl.lifecycle.licence.SignedLicence licence = licence(r.root(), client);
            String id = licence.licenceId();
            List<String> modules = licence.modules();
            String release = doc.path("current").asText("");
            if (release.isEmpty()) {
                out.printf("%s: not deployed yet: the first deploy installs licence %s%n", client, id);
                out.flush();
                return 0;
            }
            // 2: the licence and the updated record
            @SuppressWarnings("unchecked")
            Map<String, Object> record = JSON.convertValue(doc.path("release"), Map.class);
            Map<String, Object> vars = new java.util.LinkedHashMap<>();
            vars.put("licence_install_release", release);
            vars.put("licence_install_id", id);
            vars.put("licence_install_modules", modules.stream().sorted().toList());
            vars.put("licence_install_record", io.budgetctl.lifecycle.plan.LicenceRecord.updated(record, r, client, id));
            return runPlaybook(playbook(), vars);
        }

        /** {@code licences/<client>.json} verified with {@code licences/keys/*.pub}, with a well-formed id. */
        static io.budgetctl.lifecycle.licence.SignedLicence licence(Path root, String client) {
            Path file = root.resolve(ModulesSync.LICENCES).resolve(client + ".json");
            byte[] bytes;
            try {
                bytes = java.nio.file.Files.readAllBytes(file);
            } catch (java.io.IOException e) {
                throw new EngineException(SourceLocation.of(file.toString()), "no signed licence to install ("
                        + e.getMessage() + ")", "run budgetctl modules sync first (docs/licence-portal.md)");
            }
            io.budgetctl.lifecycle.licence.SignedLicence l = io.budgetctl.lifecycle.licence.SignedLicence.verify(
                    file.toString(), bytes, ModulesSync.trustedKeys(root)).licence();
            if (l.licenceId() == null || !l.licenceId().matches("[A-Za-z0-9._-]{1,64}")) {
                throw new EngineException(SourceLocation.of(file.toString()), "the licence has no well-formed id to"
                        + " install", "issue it on the licence portal and run budgetctl modules sync (docs/licence-portal.md)");
            }
            return l;
        }
    }

    /** The options map onto {@link DesiredStatePublish#run}. */
    @Command(name = "publish", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Send the repository's desired state, every customer's version and modules (client file"
                    + " over its environment's defaults), to the licence portal as one snapshot; the portal's fleet"
                    + " page shows drift against it. Changes nothing in the repository or on any server. Portal:"
                    + " portal.yaml's url/token or BUDGETCTL_PORTAL_URL/_TOKEN.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {" 0:published (or --dry-run)", " 1:the repository does not load or the portal refused",
                " 5:bad command line"})
    public static final class Publish implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dry-run", description = "Show what would be sent; send nothing.")
        boolean dryRun;

        @Mixin
        PortalOptions options;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Map<String, String> env = LifecycleCommand.env();
            try {
                options.checkTimeout();
            } catch (EngineException bad) {
                Errors.report(bad, spec.commandLine().getErr());
                return ExitCodes.USAGE;
            }
            DesiredStatePublish.Result res = DesiredStatePublish.run(options.repository(env), env,
                    LifecycleCommand.operator(), options.timeout(), dryRun);
            if (options.output == LifecycleCommand.Format.json) {
                ObjectNode o = DesiredStatePublish.document(res);
                ArrayNode sk = o.putArray("skipped");
                res.skipped().forEach(k -> sk.addObject().put("customer", k.customer()).put("reason", k.reason()));
                o.put("sent", res.sent()).put("recorded", res.recorded());
                out.println(o);
            } else {
                for (DesiredStatePublish.Entry e : res.entries()) {
                    out.printf("  %-20s %-10s %s%n", e.customer(), e.version(),
                            e.modules().isEmpty() ? "(no modules)" : String.join(", ", e.modules()));
                }
                res.skipped().forEach(k -> out.printf("  %-20s left out: %s%n", k.customer(), k.reason()));
                out.println(res.sent() ? "the portal recorded the desired state of " + res.recorded()
                        + " customers; its fleet page shows drift against it"
                        : "--dry-run: nothing sent (" + res.entries().size() + " customers would be)");
            }
            out.flush();
            return 0;
        }
    }

    /** What sync and publish share: the repository, how long to wait for the portal, the output format. */
    static final class PortalOptions {
        @Option(names = "--repo", paramLabel = "DIR",
                description = "The deployments repository (default: $BUDGETCTL_REPO, else the current directory).")
        Path repo;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
                description = "How long to wait for the portal (default 30).")
        int timeoutSeconds;

        @Option(names = {"-o", "--output"}, defaultValue = "human", paramLabel = "FORMAT",
                description = "human (default) or json.")
        LifecycleCommand.Format output;

        void checkTimeout() {
            if (timeoutSeconds < 1 || timeoutSeconds > 600) {
                throw new EngineException(SourceLocation.UNKNOWN, "--timeout " + timeoutSeconds
                        + " is not between 1 and 600 seconds", "e.g. --timeout 30");
            }
        }

        Duration timeout() {
            return Duration.ofSeconds(timeoutSeconds);
        }

        DeploymentsRepository repository(Map<String, String> env) {
            String dir = env.get("BUDGETCTL_REPO");
            Path root = repo != null ? repo : dir == null || dir.isBlank() ? Path.of("") : Path.of(dir);
            return DeploymentsRepository.open(root.toAbsolutePath().normalize());
        }
    }
}
