package io.budgetctl.engine.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.exec.TestModules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private Playbook load(Path p) {
        return PlaybookLoader.load(p, new LoadOptions(TestModules.registry(), List.of()));
    }

    private EngineException error(String yaml) throws IOException {
        Path p = write("site.yml", yaml);
        try {
            load(p);
        } catch (EngineException e) {
            return e;
        }
        throw new AssertionError("expected an EngineException");
    }

    @Test
    void keepsFileLineAndColumnOfEveryTask() throws IOException {
        // given
        Path p = write("site.yml", """
                - hosts: all
                  tasks:
                    - name: first
                      debug: msg=hi
                    - touch:
                        path: /tmp/x
                """);
        // when
        Playbook pb = load(p);
        // then
        List<Node> tasks = pb.plays().get(0).tasks();
        assertThat(tasks.get(0).location()).isEqualTo(new SourceLocation(p.toString(), 3, 7));
        assertThat(tasks.get(1).location()).isEqualTo(new SourceLocation(p.toString(), 5, 7));
        Task t = (Task) tasks.get(0);
        assertThat(t.action()).isEqualTo("debug");
        assertThat(t.args()).isEqualTo(Map.of("msg", "hi"));
    }

    @Test
    void yamlSyntaxErrorPointsAtLineAndColumnWithCaret() throws IOException {
        // when
        EngineException e = error("""
                - hosts: all
                  tasks:
                    - debug: msg: oops
                """);
        // then
        assertThat(e.location().line()).isEqualTo(3);
        assertThat(e.location().column()).isEqualTo(17);
        assertThat(e.getMessage()).startsWith("YAML syntax error: mapping values are not allowed here");
        assertThat(e.hint()).startsWith("    - debug: msg: oops\n                ^ here");
    }

    @Test
    void unknownPlayKeywordSuggestsNearestKeywords() throws IOException {
        EngineException e = error("""
                - hosts: all
                  taks: []
                """);
        assertThat(e.oneLine()).endsWith("site.yml:2:3: 'taks' is not a valid attribute for a Play");
        assertThat(e.hint()).startsWith("did you mean: ").contains("tasks");
    }

    @Test
    void unknownModuleSuggestsNearestModules() throws IOException {
        EngineException e = error("""
                - hosts: all
                  tasks:
                    - tuch: path=/tmp/x
                """);
        assertThat(e.getMessage()).isEqualTo("couldn't resolve module/action 'tuch'");
        assertThat(e.location().line()).isEqualTo(3);
        assertThat(e.hint()).startsWith("did you mean: touch");
    }

    @Test
    void misspelledKeywordBesideModuleIsReportedAsConflictWithKeywordHint() throws IOException {
        EngineException e = error("""
                - hosts: all
                  tasks:
                    - debug: msg=hi
                      whn: false
                """);
        assertThat(e.getMessage()).isEqualTo("conflicting action statements: debug, whn");
        assertThat(e.location().line()).isEqualTo(4);
        assertThat(e.hint()).contains("did you mean: when");
    }

    @Test
    void twoModulesInOneTaskAreRejected() throws IOException {
        EngineException e = error("""
                - hosts: all
                  tasks:
                    - debug: msg=hi
                      shell: echo hi
                """);
        assertThat(e.getMessage()).isEqualTo("conflicting action statements: debug, shell");
    }

    @Test
    void unknownModuleArgumentIsRejectedWithNearestNames() throws IOException {
        EngineException e = error("""
                - hosts: all
                  tasks:
                    - touch:
                        paht: /tmp/x
                """);
        assertThat(e.getMessage()).isEqualTo("unsupported parameter 'paht' for module 'touch' "
                + "(and 1 more: missing required argument 'path')");
        assertThat(e.hint()).startsWith("did you mean: path");
    }

    @Test
    void notifyingAnUndefinedHandlerFailsAtLoad() throws IOException {
        EngineException e = error("""
                - hosts: all
                  tasks:
                    - touch: path=/tmp/x
                      notify: restart app
                  handlers:
                    - name: restart ap
                      debug: msg=x
                """);
        assertThat(e.getMessage()).isEqualTo("the requested handler 'restart app' was not found in this play");
        assertThat(e.location().line()).isEqualTo(4);
        assertThat(e.hint()).contains("restart ap");
    }

    @Test
    void missingRoleListsWhereItLooked() throws IOException {
        EngineException e = error("""
                - hosts: all
                  roles:
                    - nope
                """);
        assertThat(e.getMessage()).isEqualTo("the role 'nope' was not found");
        assertThat(e.hint()).contains(dir.resolve("roles/nope").toString());
    }

    @Test
    void rolesExpandWithDependenciesFirstAndHandlersBeforePlayHandlers() throws IOException {
        // given
        write("roles/base/tasks/main.yml", "- debug: msg=base\n");
        write("roles/app/meta/main.yml", "dependencies:\n  - base\n");
        write("roles/app/tasks/main.yml", "- name: app task\n  debug: msg=app\n  notify: restart\n");
        write("roles/app/handlers/main.yml", "- name: restart\n  debug: msg=r\n");
        write("roles/app/defaults/main.yml", "port: 80\n");
        Path p = write("site.yml", """
                - hosts: all
                  roles:
                    - role: app
                      app_port: 8080
                      tags: [web]
                  handlers:
                    - name: play handler
                      debug: msg=p
                """);
        // when
        Play play = load(p).plays().get(0);
        // then
        Block app = (Block) play.roles().get(0);
        assertThat(app.role().name()).isEqualTo("app");
        assertThat(app.role().params()).containsEntry("app_port", 8080);
        assertThat(app.role().defaults()).containsEntry("port", 80);
        assertThat(app.kw()).as("kw %s", app.kw()).containsEntry("tags", List.of("web"));
        Block base = (Block) app.block().get(0);
        assertThat(base.role().name()).isEqualTo("base");
        assertThat(((Task) app.block().get(1)).displayName()).isEqualTo("app : app task");
        assertThat(play.handlers()).extracting(Task::name).containsExactly("restart", "play handler");
    }

    @Test
    void importTasksBecomesImplicitBlockKeepingWhenAndTags() throws IOException {
        write("more.yml", "- debug: msg=inner\n");
        Path p = write("site.yml", """
                - hosts: all
                  tasks:
                    - import_tasks: more.yml
                      when: x is defined
                      tags: t1
                """);
        Block b = (Block) load(p).plays().get(0).tasks().get(0);
        assertThat(b.implicit()).isTrue();
        assertThat(b.kw()).containsEntry("when", "x is defined").containsEntry("tags", "t1");
        assertThat(((Task) b.block().get(0)).args()).containsEntry("msg", "inner");
    }

    @Test
    void freeFormCommandKeepsTextAndTakesOutKnownOptions() {
        assertThat(KvParser.parse("echo \"a  b\" c=d creates=/tmp/x", true))
                .containsEntry("creates", "/tmp/x").containsEntry("_raw_params", "echo \"a  b\" c=d");
        assertThat(KvParser.parse("path=/tmp/x line='a b' mode={{ m }}", false))
                .containsEntry("path", "/tmp/x").containsEntry("line", "a b").containsEntry("mode", "{{ m }}");
    }

    @Test
    void yamlOneOneScalarsAreTypedLikeAnsible() {
        Object doc = YamlLoader.loadString("a: yes\nb: off\nc: 0644\nd: '0644'\ne: 1.5\nf: ~\ng: 0x1f\n", "x.yml");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) doc;
        assertThat(m).containsEntry("a", true).containsEntry("b", false).containsEntry("c", 420)
                .containsEntry("d", "0644").containsEntry("e", 1.5).containsEntry("f", null).containsEntry("g", 31);
    }
}
