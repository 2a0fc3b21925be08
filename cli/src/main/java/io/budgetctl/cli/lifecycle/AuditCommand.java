package io.budgetctl.cli.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code budgetctl audit --client X}: the host's audit.log (one JSON line per action). */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show the audit log of a customer's server: who did what when (deploy, rollback), from -> to,"
                + " result.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:listed", " 1:repository or playbook does not load", " 4:host unreachable"})
public final class AuditCommand extends ReadCommand {
    @Option(names = "--lines", paramLabel = "N", defaultValue = "200", description = "Last N entries.")
    int lines;

    @Override
    protected String playbook() {
        return "history";
    }

    @Override
    protected Map<String, Object> vars() {
        return Map.of("lines", lines);
    }

    @Override
    protected String collectTask() {
        return "collect history";
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
