package io.budgetctl.cli.lifecycle;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code budgetctl certs renew --client X (--cert F --key F | --internal)}: playbooks/cert-renew.yml. */
@Command(name = "certs", mixinStandardHelpOptions = true, description = "The ingress certificate of a customer.",
        subcommands = CertsCommand.Renew.class)
public final class CertsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code certs renew} (docs/runbooks/certificate-renewal.md). */
    @Command(name = "renew", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Install the customer's new certificate (checked first: key matches, valid for the domain,"
                    + " more than 30 days left) or have the ingress reissue from its internal CA; restart the"
                    + " ingress and verify with openssl s_client on the host that the new certificate is served."
                    + " A certificate that is not served is taken back out.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {" 0:the new certificate is served", " 1:repository or playbook does not load",
                " 2:refused (bad certificate) or failed (the previous certificate is put back)",
                " 4:host unreachable", " 5:bad command line"})
    public static final class Renew extends LifecycleCommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        static final class Source {
            @ArgGroup(exclusive = false)
            Files files;

            @Option(names = "--internal", required = true,
                    description = "Reissue from the ingress's internal CA (INGRESS_TLS=internal).")
            boolean internal;
        }

        static final class Files {
            @Option(names = "--cert", required = true, paramLabel = "FILE",
                    description = "The new certificate, PEM, full chain.")
            Path cert;

            @Option(names = "--key", required = true, paramLabel = "FILE",
                    description = "Its private key, PEM, unencrypted (keep it 0600; it is never printed).")
            Path key;
        }

        @Option(names = "--min-days", defaultValue = "30", paramLabel = "N",
                description = "Refuse a certificate valid for fewer days (default: ${DEFAULT-VALUE}).")
        int minDays;

        @Override
        protected String action() {
            return "cert-renew";
        }

        @Override
        protected Map<String, Object> vars() {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("cert_renew_min_days", minDays);
            if (source.internal) {
                v.put("cert_renew_source", "internal");
            } else {
                v.put("cert_renew_source", "files");
                v.put("cert_renew_cert_file", source.files.cert.toAbsolutePath().normalize().toString());
                v.put("cert_renew_key_file", source.files.key.toAbsolutePath().normalize().toString());
            }
            return v;
        }
    }
}
