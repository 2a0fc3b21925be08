package io.budgetctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line as users meet it: help of every command on its own, unknown commands, did-you-mean. */
class CommandLineHelpTest {
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return Main.run(new PrintWriter(out), new PrintWriter(err), new Terminal(false), args);
    }

    /** Every command path of the real tree ("deploy", "secrets view", "certs renew" ...), the help command aside. */
    private static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                new Terminal(false)), new ArrayList<>(), paths);
        return paths;
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> into) {
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            into.add(p);
            collect(e.getValue(), p, into);
        }
    }

    @Test
    void everyCommandPrintsItsHelpEvenWithoutItsRequiredOptions() {
        // given
        List<List<String>> paths = commandPaths();
        assertThat(paths).extracting(p -> String.join(" ", p))
                .contains("run", "validate", "deploy", "status", "rollback", "secrets view", "certs renew");
        for (List<String> path : paths) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                // when
                int code = run(args.toArray(String[]::new));
                // then
                assertThat(code).as("budgetctl %s: %s", args, err).isZero();
                assertThat(out.toString()).as("budgetctl %s", args)
                        .startsWith("Usage: budgetctl " + String.join(" ", path));
                assertThat(err.toString()).as("budgetctl %s", args).isEmpty();
            }
        }
    }

    @Test
    void deployHelpShowsItsOwnVersionOptionAndTheHelpOption() {
        // when: deploy's --version (the version to deploy) once hid the standard help option altogether
        int code = run("deploy", "--help");
        // then
        assertThat(code).isZero();
        assertThat(out.toString()).contains("--version=vX.Y.Z").contains("-h, --help").contains("--client=ID");
    }

    @Test
    void anUnknownCommandWithHelpIsAUsageErrorThatListsTheCommands() {
        // when
        int code = run("armada", "--help");
        // then
        assertThat(code).isEqualTo(5);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("'armada'")
                .contains("budgetctl has no command 'armada'; its commands: run, lint, validate")
                .contains("Try 'budgetctl --help' for more information.");
    }

    @Test
    void helpBeforeAnUnknownCommandIsAUsageErrorToo() {
        // when
        int code = run("--help", "armada");
        // then
        assertThat(code).isEqualTo(5);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("budgetctl has no command 'armada'");
    }

    @Test
    void aStrayWordAfterACommandWithHelpIsAUsageError() {
        // when
        int code = run("deploy", "fleet", "--help");
        // then
        assertThat(code).isEqualTo(5);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("Unmatched argument at index 1: 'fleet'")
                .contains("Try 'budgetctl deploy --help'");
    }

    @Test
    void aMistypedCommandGetsTheClosestCommandSuggested() {
        // when
        int top = run("deploi", "--client", "acme");
        String topErr = err.toString();
        int nested = run("secrets", "veiw", "x.yaml");
        String nestedErr = err.toString();
        int prefix = run("roll");
        String prefixErr = err.toString();
        // then
        assertThat(top).isEqualTo(5);
        assertThat(topErr).contains("Did you mean 'budgetctl deploy'?").doesNotContain("has no command");
        assertThat(nested).isEqualTo(5);
        assertThat(nestedErr).contains("Did you mean 'budgetctl secrets view'?")
                .contains("Try 'budgetctl secrets --help'");
        assertThat(prefix).isEqualTo(5);
        assertThat(prefixErr).contains("Did you mean 'budgetctl rollback'?");
    }

    @Test
    void aMistypedOptionStillGetsPicocliSuggestion() {
        // when
        int code = run("run", "--chek", "site.yml");
        // then
        assertThat(code).isEqualTo(5);
        assertThat(err.toString()).startsWith("ERROR! Unknown option: '--chek'").contains("--check")
                .doesNotContain("has no command");
    }

    @Test
    void closestNamesAreWithinAThirdOfTheWordOrStartWithIt() {
        // given
        List<String> names = List.of("deploy", "status", "rollback", "restore", "backup", "lint");
        // then
        assertThat(UnknownCommands.closest("deplyo", names)).containsExactly("deploy");
        assertThat(UnknownCommands.closest("STATUS", names)).containsExactly("status");
        assertThat(UnknownCommands.closest("re", names)).containsExactly("restore");
        assertThat(UnknownCommands.closest("fleet", names)).isEmpty();
    }

    @Test
    void versionOfASubcommandIsBudgetctlsVersion() {
        // when
        int code = run("run", "-V");
        // then
        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("budgetctl ").contains("Java ");
    }
}
