package io.budgetctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.lint.Finding;
import io.budgetctl.engine.lint.Lint;
import io.budgetctl.engine.run.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code budgetctl lint}: prints {@code file:line:col: [rule-id] message} per finding; exit 2 when there are any. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = "Check playbooks, roles and vars files for common mistakes without running them.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:no findings", " 1:a path cannot be read", " 2:findings", " 5:bad command line options"})
final class LintCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories (searched for .yml/.yaml).")
    List<Path> paths;

    @Option(names = {"-o", "--output"}, defaultValue = "human", paramLabel = "FORMAT",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(names = "--strict", description = "Also the rules for code that runs on customers' hosts:"
            + " shell-unquoted-var (a {{ }} in shell: or raw: not passed through | quote).")
    boolean strict;

    @Override
    public Integer call() throws JsonProcessingException {
        List<Finding> findings = Lint.check(paths, strict);
        PrintWriter out = spec.commandLine().getOut();
        if (output == OutputFormat.json) {
            List<Map<String, Object>> rows = findings.stream().map(LintCommand::row).toList();
            out.println(new ObjectMapper().writeValueAsString(rows));
        } else {
            findings.forEach(f -> out.println(f.location() + ": [" + f.ruleId() + "] " + f.message()));
        }
        out.flush();
        return findings.isEmpty() ? ExitCodes.OK : ExitCodes.HOST_FAILED;
    }

    private static Map<String, Object> row(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule_id", f.ruleId());
        m.put("location", f.location().toString());
        m.put("file", f.location().file());
        m.put("line", f.location().line());
        m.put("column", f.location().column());
        m.put("message", f.message());
        return m;
    }
}
