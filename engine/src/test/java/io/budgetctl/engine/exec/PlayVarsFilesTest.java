package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.playbook.Play;
import io.budgetctl.engine.template.JinjavaTemplater;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PlayVarsFiles}: a play's vars_files for one host. Pinned: names are templated per host (inventory vars,
 * inventory_hostname, earlier set_fact, extra vars over the play's vars), of a list of candidates the first that exists
 * is read, later files win, an empty file gives nothing; a missing file and a file that is not a mapping are the
 * errors users see today.
 */
class PlayVarsFilesTest {
    private static final String PLAYBOOK = """
            - hosts: all
              gather_facts: false
              vars: {env: test}
              vars_files:
                - vars/common.yml
                - ["vars/{{ inventory_hostname }}-{{ env }}.yml", "vars/{{ site }}.yml", vars/default.yml]
              tasks: []
            """;

    @TempDir
    Path dir;

    private final HostInventory inventory = ExecFixtures.inventory(
            Map.of("h1", Map.of("site", "ber"), "h2", Map.of("site", "muc")), Map.of());

    private PlayVarsFiles files(Map<String, Object> extraVars) {
        return new PlayVarsFiles(inventory, new JinjavaTemplater(), extraVars);
    }

    @Test
    void eachHostReadsTheFirstCandidateThatExistsAndLaterFilesWin() throws IOException {
        // given
        Play play = ExecFixtures.play(dir, PLAYBOOK, Map.of(
                "vars/common.yml", "port: 80\nname: common\n",
                "vars/h1-test.yml", "name: h1 in test\n",
                "vars/muc.yml", "name: munich\n",
                "vars/default.yml", "name: default\n"));

        // when / then: h1 has a file of its own, h2 one for its site
        assertThat(files(Map.of()).load(play, "h1", Map.of())).isEqualTo(Map.of("port", 80, "name", "h1 in test"));
        assertThat(files(Map.of()).load(play, "h2", Map.of())).isEqualTo(Map.of("port", 80, "name", "munich"));
    }

    @Test
    void extraVarsAndEarlierSetFactsNameTheFilesToo() throws IOException {
        // given
        Play play = ExecFixtures.play(dir, PLAYBOOK, Map.of(
                "vars/common.yml", "",
                "vars/h1-prod.yml", "name: h1 in prod\n",
                "vars/fra.yml", "name: frankfurt\n"));

        // when / then: extra vars over the play's env; a fact set in an earlier play over the inventory's site
        assertThat(files(Map.of("env", "prod")).load(play, "h1", Map.of())).isEqualTo(Map.of("name", "h1 in prod"));
        assertThat(files(Map.of()).load(play, "h2", Map.of("site", "fra"))).isEqualTo(Map.of("name", "frankfurt"));
    }

    @Test
    void withoutVarsFilesThereIsNothing() throws IOException {
        Play play = ExecFixtures.play(dir, "- hosts: all\n  tasks: []\n");

        assertThat(files(Map.of()).load(play, "h1", Map.of())).isEmpty();
    }

    @Test
    void anEntryOfWhichNoCandidateExistsNamesEveryPathTried() throws IOException {
        Play play = ExecFixtures.play(dir, PLAYBOOK, Map.of("vars/common.yml", "port: 80\n"));

        assertThatThrownBy(() -> files(Map.of()).load(play, "h1", Map.of()))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("vars file not found: " + dir.resolve("vars/h1-test.yml")
                            + " or " + dir.resolve("vars/ber.yml") + " or " + dir.resolve("vars/default.yml"));
                    assertThat(e.location()).isEqualTo(play.location());
                    assertThat(e.hint()).isEqualTo("vars_files paths are relative to the playbook directory");
                });
    }

    @Test
    void aFileThatIsNotAMappingIsAnErrorAtThatFile() throws IOException {
        Play play = ExecFixtures.play(dir, PLAYBOOK, Map.of("vars/common.yml", "- a\n- b\n"));

        assertThatThrownBy(() -> files(Map.of()).load(play, "h1", Map.of()))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.oneLine()).isEqualTo(dir.resolve("vars/common.yml") + ": a vars file must be a mapping");
                    assertThat(e.hint()).isNull();
                });
    }
}
