package io.budgetctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * End to end: budgetctl runs the same playbooks and inventory that capture-ansible.sh ran through the real
 * ansible-playbook, and must print the same thing (engine, modules and console listener together). The one known
 * difference is normalised: the UNREACHABLE message comes from our SSH client, not from OpenSSH's.
 */
class AnsibleParityIT {
    private static final Path REPORT = Path.of("../engine/src/test/resources/report").toAbsolutePath().normalize();
    private static final Path PLAYS = REPORT.resolve("ansible");

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Main.run(new PrintWriter(out), new PrintWriter(err), new Terminal(false), args);
        assertThat(err.toString()).as("stderr").isEmpty();
        return out.toString();
    }

    private static String golden(String name) throws Exception {
        return Files.readString(REPORT.resolve(name), StandardCharsets.UTF_8);
    }

    private static String unreachableMsg(String s) {
        return s.replaceAll("(UNREACHABLE! => \\{\"changed\": false, \"msg\": )\"[^\"]*\"", "$1\"<ssh error>\"");
    }

    @Test
    void basicPlaybookPrintsWhatAnsiblePlaybookPrinted() throws Exception {
        // when
        String out = run("run", "-f", "1", "-i", PLAYS.resolve("inventory.yml").toString(),
                PLAYS.resolve("basic.yml").toString());
        // then
        assertThat(unreachableMsg(out)).isEqualTo(unreachableMsg(golden("console-basic.txt")));
    }

    @Test
    void verboseResultsMatchAnsiblePlaybookAtDashV() throws Exception {
        // when
        String out = run("run", "-v", "-f", "1", "-i", PLAYS.resolve("inventory.yml").toString(),
                PLAYS.resolve("verbose.yml").toString());
        // then
        assertThat(out).isEqualTo(golden("console-verbose.txt"));
    }

    @Test
    void conditionsWrittenWithBracesAreWarnedAboutAsAnsiblePlaybookWarns() throws Exception {
        // when
        String out = run("run", "-f", "1", "-i", PLAYS.resolve("inventory.yml").toString(),
                PLAYS.resolve("warnings.yml").toString());
        // then
        assertThat(out).isEqualTo(golden("console-warnings.txt"));
    }

    @Test
    void assertShowsItsResultWarnsOfWrittenItemsAndComparesLikeAnsiblePlaybook() throws Exception {
        // when
        String out = run("run", "-f", "1", "-i", PLAYS.resolve("inventory.yml").toString(),
                PLAYS.resolve("assert.yml").toString());
        // then
        assertThat(out).isEqualTo(golden("console-assert.txt"));
    }
}
