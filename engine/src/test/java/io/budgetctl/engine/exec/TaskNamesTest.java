package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.playbook.Actions;
import io.budgetctl.engine.playbook.Role;
import io.budgetctl.engine.playbook.Task;
import io.budgetctl.engine.template.JinjavaTemplater;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskNames}: the {@code TASK [...]} header and {@code ansible_failed_task.name}. Pinned: a templated name is
 * rendered in the host's variables (the header with the role prefix, the failed name without), a name that cannot be
 * rendered stays as written, a secret in it is masked in the header and stays a {@link Secret} in the failed name,
 * an unnamed include_role shows the role it includes, and variables are only built for a templated name.
 */
class TaskNamesTest {
    private static final Role WEB = new Role("web", Path.of("roles/web"), Map.of(), Map.of(), Map.of(), List.of());
    private static final Supplier<Map<String, Object>> NO_VARS = () -> {
        throw new AssertionError("variables built for a name that is no template");
    };

    private final SecretLedger ledger = new SecretLedger();
    private final TaskNames names = new TaskNames(new JinjavaTemplater(), ledger);

    @Test
    void aPlainNameIsShownWithItsRoleAndNeedsNoVariables() {
        assertThat(names.header(task("Install", "command", WEB), NO_VARS)).isEqualTo("web : Install");
        assertThat(names.header(task(null, "command", null), NO_VARS)).isEqualTo("command");
        assertThat(names.failed(task("Install", "command", WEB), NO_VARS)).isEqualTo("Install");
        assertThat(names.failed(task(null, "command", WEB), NO_VARS)).isEqualTo("");
    }

    @Test
    void aTemplatedNameIsRenderedInTheHostsVariablesTheFailedOneWithoutTheRole() {
        // given
        Task task = task("Install {{ pkg }}", "command", WEB);
        AtomicInteger built = new AtomicInteger();
        Supplier<Map<String, Object>> vars = () -> {
            built.incrementAndGet();
            return Map.of("pkg", "nginx");
        };

        // when / then
        assertThat(names.header(task, vars)).isEqualTo("web : Install nginx");
        assertThat(names.failed(task, vars)).isEqualTo("Install nginx");
        assertThat(built).hasValue(2);
    }

    @Test
    void aNameThatCannotBeRenderedStaysAsWritten() {
        Task task = task("Install {{ pkg.version }}", "command", WEB);
        Supplier<Map<String, Object>> failing = () -> {
            throw new IllegalStateException("no variables for this host");
        };

        assertThat(names.header(task, Map::of)).isEqualTo("web : Install {{ pkg.version }}");
        assertThat(names.failed(task, Map::of)).isEqualTo("Install {{ pkg.version }}");
        assertThat(names.header(task, failing)).isEqualTo("web : Install {{ pkg.version }}");
    }

    @Test
    void aSecretInTheNameIsMaskedInTheHeaderAndStaysSecretInTheFailedName() {
        // given
        Task task = task("Log in with {{ pw }}", "command", null);
        Supplier<Map<String, Object>> vars = () -> Map.of("pw", Secret.of("s3cret-pw"));

        // when
        String header = names.header(task, vars);
        Object failed = names.failed(task, vars);

        // then
        assertThat(header).isEqualTo("Log in with ********");
        assertThat(failed).isInstanceOf(Secret.class);
        assertThat(((Secret) failed).reveal()).isEqualTo("Log in with s3cret-pw");
    }

    @Test
    void anUnnamedIncludeRoleShowsTheRoleItIncludes() {
        Task task = new Task(SourceLocation.of("site.yml"), null, Actions.INCLUDE_ROLE, Map.of("name", "db"), Map.of(),
                null, false);

        assertThat(names.header(task, NO_VARS)).isEqualTo("include_role : db");
        assertThat(TaskNames.roleName(task)).isNull();
        assertThat(TaskNames.roleName(task("x", "command", WEB))).isEqualTo("web");
    }

    private static Task task(String name, String action, Role role) {
        return new Task(SourceLocation.of("site.yml"), name, action, Map.of(), Map.of(), role, false);
    }
}
