package io.budgetctl.cli.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code budgetctl history --client X}: the releases kept on the host (release.json of each). */
@Command(name = "history", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List the releases kept on a customer's server, the current one marked.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:listed", " 1:repository or playbook does not load", " 4:host unreachable"})
public final class HistoryCommand extends ReadCommand {
    @Override
    protected String playbook() {
        return "history";
    }

    @Override
    protected Map<String, Object> vars() {
        return Map.of();
    }

    @Override
    protected int printHuman(PrintWriter out, String host, JsonNode doc) {
        out.printf("%s:%n", host);
        String cur = doc.path("current").asText();
        for (JsonNode r : doc.path("releases")) {
            JsonNode rel = r.path("release");
            out.printf("%s %-32s %-8s %-12s by %s at %s%n", r.path("dir").asText().equals(cur) ? "*" : " ",
                    r.path("dir").asText(), rel.path("version").asText("?"), rel.path("result").asText("?"),
                    rel.path("deployed_by").asText("?"), rel.path("finished_at").asText(rel.path("started_at").asText("?")));
        }
        return 0;
    }
}
