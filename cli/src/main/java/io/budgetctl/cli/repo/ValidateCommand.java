package io.budgetctl.cli.repo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.repo.RepoError;
import io.budgetctl.lifecycle.repo.ValidationReport;
import io.budgetctl.lifecycle.repo.Validator;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code budgetctl validate}: JSON Schema and semantic checks of the deployments repository. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check the deployments repository: every file against its JSON Schema, then the rules between"
                + " files (environment exists, secrets resolve, modules known, version released, formats, no"
                + " duplicate ids, no two customers on one server and port), and that the age recipients of each"
                + " SOPS file are exactly the operators access.yaml allows secrets-view on its customers.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:the repository (or the customer) is valid",
            " 1:one or more errors (each printed as file:line:column: pointer: message, with a hint)"},
        footerHeading = "%nEnvironment:%n",
        footer = {"  BUDGETCTL_REPO  the repository directory when --repo is not given (default: current directory)"})
public final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true)
    Selection selection = new Selection();

    static final class Selection {
        @Option(names = "--client", paramLabel = "ID", description = "Validate one customer (and what it refers to).")
        String client;

        @Option(names = "--all", description = "Validate every file (the default).")
        boolean all;
    }

    @Option(names = "--repo", paramLabel = "DIR", description = "The deployments repository (default: $BUDGETCTL_REPO,"
            + " else the current directory).")
    Path repo;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "human",
            description = "human (default) or json (one JSON document for CI).")
    Format output;

    enum Format { human, json }

    @Override
    public Integer call() {
        DeploymentsRepository r = DeploymentsRepository.open(repoDir(repo, System.getenv("BUDGETCTL_REPO")));
        Validator v = new Validator(r).withSecretsAccess();
        ValidationReport report = selection.client != null ? v.validateClient(selection.client) : v.validateAll();
        PrintWriter out = spec.commandLine().getOut();
        if (output == Format.json) {
            out.println(json(report));
        } else {
            for (RepoError e : report.errors()) {
                out.println("ERROR! " + e.oneLine());
                if (e.hint() != null) {
                    out.println("  hint: " + e.hint());
                }
            }
            out.println(report.valid()
                    ? "ok: " + report.clients().size() + " customer(s), " + report.files() + " file(s) valid"
                    : report.errors().size() + " error(s) in " + report.files() + " file(s)");
        }
        out.flush();
        return report.valid() ? 0 : 1;
    }

    /** --repo, else BUDGETCTL_REPO, else the current directory. */
    static Path repoDir(Path option, String env) {
        if (option != null) {
            return option;
        }
        return env != null && !env.isBlank() ? Path.of(env) : Path.of("");
    }

    static String json(ValidationReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", report.valid());
        m.put("clients", report.clients());
        m.put("files", report.files());
        List<Map<String, Object>> errors = new ArrayList<>();
        report.errors().forEach(e -> errors.add(e.toMap()));
        m.put("errors", errors);
        try {
            return new ObjectMapper().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
