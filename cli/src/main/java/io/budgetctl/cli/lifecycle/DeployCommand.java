package io.budgetctl.cli.lifecycle;

import io.budgetctl.engine.inventory.ExtraVars;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.repo.Identifiers;
import io.budgetctl.lifecycle.plan.DesiredState;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code budgetctl deploy --client X [--version vX.Y.Z] [--check --diff]}: playbooks/deploy.yml. The version is
 * {@code --version}, else the client file's (or its environment's) {@code version:}; the desired configuration's
 * fingerprint ({@link DesiredState}) goes with it, and the playbook changes nothing when the running release
 * recorded the same version and fingerprint (docs/deploy-guide.md, "Converge").
 */
@Command(name = "deploy", sortOptions = false,
        description = "Deploy a version to a customer (--version, else the client file's version:). When the"
                + " server already runs that version with the same configuration, nothing changes (\"up to date\")."
                + " Otherwise: lock, render the release, images, pg_dump backup, migrate,"
                + " candidate check (the new backend must get ready beside the running release), switch, health"
                + " gate, record, prune, unlock. A failed migration, candidate check or health gate rolls back by"
                + " itself; before the switch the running release is never stopped (docs/deploy-guide.md).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:deployed and healthy, or already up to date", " 1:repository, playbook or options do not load",
            " 2:refused (lock held) or failed (rolled back when possible; the summary says what happened)",
            " 4:host unreachable", " 5:bad command line"})
public final class DeployCommand extends LifecycleCommand {
    /**
     * Declared here instead of {@code mixinStandardHelpOptions}: picocli leaves out the whole standard mixin (help
     * too) when one of its names is taken, and {@code --version} is the version to deploy.
     */
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", paramLabel = "vX.Y.Z",
            description = "Version to deploy (default: version: in the client file or its environment).")
    String version;

    @Option(names = "--redeploy",
            description = "Render and deploy a new release even when the server is up to date (e.g. after a"
                    + " container was removed by hand).")
    boolean redeploy;

    @Option(names = {"-C", "--check"}, description = "Show what would change; change nothing on the host.")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "Show diffs of the rendered files.")
    boolean diff;

    @Option(names = "--health-timeout", paramLabel = "SECONDS",
            description = "How long the health gate (and the candidate check) waits.")
    Integer healthTimeout;

    @Override
    protected String action() {
        return "deploy";
    }

    @Override
    protected List<Input> identifiers() {
        return version == null ? List.of() : List.of(new Input("--version", Identifiers.Kind.VERSION, version));
    }

    @Override
    protected Map<String, Object> vars() {
        Map<String, Object> v = new LinkedHashMap<>();
        if (redeploy) {
            v.put("itbm_redeploy", true);
        }
        if (healthTimeout != null) {
            v.put("itbm_health_timeout", healthTimeout);
        }
        return v;
    }

    /**
     * The version to install and the desired configuration (settings and fingerprint, secrets as digests), read
     * from the repository; a version from the client file is checked like {@code --version}.
     */
    @Override
    protected Map<String, Object> repositoryVars(DeploymentsRepository r) {
        DesiredState want = DesiredState.of(r, client, version, "")
                .withExtraVars(ExtraVars.parse(extraVars, Path.of("").toAbsolutePath()));
        if (version == null) {
            Identifiers.check("version: in " + DesiredState.clientFile(r, client), Identifiers.Kind.VERSION,
                    want.version());
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("version", want.version());
        v.put("itbm_fingerprint", want.fingerprint());
        v.put("itbm_settings", want.settings());
        return v;
    }

    @Override
    protected boolean check() {
        return check;
    }

    /** A deploy renders a release: every secret reference is read before any host is touched. */
    @Override
    protected boolean resolveReleaseSecretsFirst() {
        return true;
    }

    @Override
    protected boolean diff() {
        return diff;
    }
}
