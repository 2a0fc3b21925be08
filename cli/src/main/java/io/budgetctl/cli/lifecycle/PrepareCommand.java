package io.budgetctl.cli.lifecycle;

import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.LifecycleResult;
import io.budgetctl.lifecycle.secrets.PreflightSecrets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code budgetctl prepare --client X [--install-docker]}: playbooks/prepare.yml (preflight, docker-install first when
 * asked). The engine's output shows the table of checks; the exit code sums them up: 0 all pass, 4 warnings only,
 * 3 a check failed. {@code --output json} prints the checks of every host as one JSON document instead.
 */
@Command(name = "prepare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Preflight of a customer's server(s): OS, CPU, RAM, disk, Docker and Compose, ports, clock,"
                + " domain, registry login, external database and Redis, the customer's certificate; each check"
                + " pass / warn / fail (or skip when it does not apply) with a hint (docs/checklists/preflight.md).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:every check passed", " 1:repository or playbook does not load", " 2:the host failed",
            " 3:a check failed", " 4:warnings only (or unreachable when no check ran)", " 5:bad command line",
            " 6:refused by access.yaml"})
public final class PrepareCommand extends LifecycleCommand {
    @Option(names = "--install-docker", description = "Install Docker and Compose first (docker-install role).")
    boolean installDocker;

    @Option(names = "--cert", paramLabel = "FILE", description = "Check this certificate (PEM, full chain) of the"
            + " customer instead of the one on the server (ingress TLS files); needs --key.")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "The private key of --cert (PEM).")
    Path key;

    @Override
    protected String action() {
        return "prepare";
    }

    @Override
    protected Map<String, Object> vars() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("install_docker", installDocker);
        v.put("preflight_fail_on_error", false);
        if (cert != null || key != null) {
            if (cert == null || key == null) {
                throw new ParameterException(spec.commandLine(), "--cert and --key go together");
            }
            v.put("preflight_tls_mode", "files");
            v.put("preflight_tls_cert_file", cert.toAbsolutePath().normalize().toString());
            v.put("preflight_tls_key_file", key.toAbsolutePath().normalize().toString());
        }
        return v;
    }

    /**
     * The passwords of an external database and Redis (and their CAs for TLS verify-full), as the client
     * file's references point to them (SOPS, Vault), as secrets (masked in all output). Read now, so that a reference that cannot be read becomes a failed row
     * ({@code preflight_db_password_error}, {@code preflight_cache_password_error}) instead of stopping the run.
     */
    @Override
    protected Map<String, Object> secretVars(DeploymentsRepository r) {
        return PreflightSecrets.of(r, client);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        LifecycleResult run = run(playbook(), vars(), output == Format.json ? List.of() : humanOutput(out),
                PreflightSecrets.RESULT_FACT);
        int code = run.exitCode();
        Map<String, Object> results = run.fact(PreflightSecrets.RESULT_FACT);
        if (output == Format.json && !results.isEmpty()) {
            out.println(json(results.size() == 1 ? results.values().iterator().next() : results));
        }
        out.flush();
        if (code != 0 || results.isEmpty()) {
            return code == 0 ? 2 : code;
        }
        return exit(results);
    }

    /** 3 when any check failed, 4 when only warnings, else 0. */
    static int exit(Map<String, Object> results) {
        boolean warn = false;
        for (Object rows : results.values()) {
            for (Object row : (List<?>) rows) {
                Object status = ((Map<?, ?>) row).get("status");
                if ("fail".equals(status)) {
                    return 3;
                }
                warn |= "warn".equals(status);
            }
        }
        return warn ? 4 : 0;
    }
}
