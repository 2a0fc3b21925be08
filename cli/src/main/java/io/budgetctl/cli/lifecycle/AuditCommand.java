package io.budgetctl.cli.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;

/** {@code budgetctl audit --client X}: the host's audit.log (one JSON line per action). */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show the audit log of a customer's server: who did what when (deploy, rollback), from -> to,"
                + " result. 'audit verify' checks the controller's own audit log instead.",
        subcommands = AuditVerifyCommand.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:listed", " 1:repository or playbook does not load", " 4:host unreachable"})
public final class AuditCommand extends ReadCommand {
    @Option(names = "--lines", paramLabel = "N", defaultValue = "200", description = "Last N entries.")
    int lines;

    /**
     * {@code audit verify} needs no customer, but picocli checks a parent's required options before it runs a
     * subcommand: {@code --client} of {@code audit} is made optional in the parser and required in {@link #call}.
     */
    public static void clientOptionalForVerify(CommandLine root) {
        CommandLine audit = root.getSubcommands().get("audit");
        if (audit == null) {
            return;
        }
        CommandSpec spec = audit.getCommandSpec();
        OptionSpec client = spec.findOption("--client");
        if (client != null && client.required()) {
            spec.remove(client);
            spec.addOption(client.toBuilder().required(false)
                    .description("The customer (client id); required, except for 'audit verify'.").build());
        }
    }

    @Override
    public Integer call() {
        if (client == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--client=ID'");
        }
        return super.call();
    }

    @Override
    protected String playbook() {
        return "history";
    }

    @Override
    protected Map<String, Object> vars() {
        return Map.of("lines", lines);
    }

    @Override
    protected int jsonExit(Map<String, JsonNode> docs) {
        return 0;
    }

    @Override
    protected int printHuman(PrintWriter out, String host, JsonNode doc) {
        for (JsonNode a : doc.path("audit")) {
            out.printf("%s %s %-8s %s -> %s: %s by %s%s%n", host, a.path("at").asText(), a.path("action").asText(),
                    a.path("from").asText(""), a.path("to").asText(""), a.path("result").asText(),
                    a.path("who").asText(), a.path("error").asText("").isEmpty() ? ""
                            : " (" + a.path("error").asText() + ")");
        }
        return 0;
    }
}
