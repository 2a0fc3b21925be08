package io.budgetctl.cli.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.plan.DesiredState;
import io.budgetctl.lifecycle.plan.Plan;
import io.budgetctl.lifecycle.plan.PlanText;
import io.budgetctl.lifecycle.plan.RunningState;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code budgetctl plan --client X}: what {@code deploy} would change on the customer's server, the difference
 * between the deployments repository and the host's release record ({@link Plan}). Read only: playbooks/plan.yml
 * reads {@code current/release.json} and takes no lock.
 */
@Command(name = "plan", sortOptions = false,
        description = "Show what 'deploy' would change on a customer's server: the version (running -> desired),"
                + " each changed setting (secrets only as 'changed'), the services that would restart and whether"
                + " migrations would run. Read only: takes no lock, writes nothing on the host.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:in sync: deploy would change nothing", " 1:repository or playbook does not load",
            " 2:deploy would change something (or the host could not be read)", " 4:host unreachable",
            " 5:bad command line", " 6:access.yaml does not allow it"})
public final class PlanCommand extends ReadCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Declared here: the standard help mixin is left out whole when {@code --version} is taken (as deploy). */
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", paramLabel = "vX.Y.Z",
            description = "Plan for this version instead of the client file's version:.")
    String version;

    @Option(names = "--json", description = "One JSON document (as --output json).")
    boolean jsonFlag;

    private DesiredState desired;

    @Override
    protected String playbook() {
        return "plan";
    }

    @Override
    protected Map<String, Object> vars() {
        if (jsonFlag) {
            output = Format.json;
        }
        return Map.of();
    }

    @Override
    protected java.util.List<Input> identifiers() {
        return version == null ? java.util.List.of()
                : java.util.List.of(new Input("--version", io.budgetctl.lifecycle.repo.Identifiers.Kind.VERSION, version));
    }

    /** The desired state, read once the repository is open and access.yaml allowed the command; no variables. */
    @Override
    protected Map<String, Object> repositoryVars(DeploymentsRepository r) {
        desired = DesiredState.of(r, client, version, "");
        return Map.of();
    }

    Plan plan(JsonNode doc) {
        @SuppressWarnings("unchecked")
        Map<String, Object> record = JSON.convertValue(doc.path("release"), Map.class);
        RunningState running = record == null || doc.path("current").asText().isEmpty() ? RunningState.none()
                : RunningState.fromRecord(record);
        return Plan.of(client, desired, running);
    }

    @Override
    protected int printHuman(PrintWriter out, String host, JsonNode doc) {
        Plan p = plan(doc);
        out.print(PlanText.human(p));
        return PlanText.exitCode(p);
    }

    @Override
    protected Object jsonView(Map<String, JsonNode> docs) {
        if (docs.size() == 1) {
            return PlanText.document(plan(docs.values().iterator().next()));
        }
        Map<String, Object> all = new LinkedHashMap<>();
        docs.forEach((host, doc) -> all.put(host, PlanText.document(plan(doc))));
        return all;
    }

    @Override
    protected int jsonExit(Map<String, JsonNode> docs) {
        return docs.values().stream().mapToInt(d -> PlanText.exitCode(plan(d))).max().orElse(0);
    }
}
