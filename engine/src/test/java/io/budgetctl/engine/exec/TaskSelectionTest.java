package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.playbook.Role;
import io.budgetctl.engine.playbook.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskSelection}: the tags rules of ansible-core 2.14's {@code Taggable.evaluate_tags} (no --tags means all;
 * an untagged task is {@code untagged}; {@code always} runs unless skipped by name; {@code never} runs only when
 * asked for by one of its other tags; {@code tagged}; --skip-tags wins over --tags except that skipping {@code all}
 * spares {@code always}) and --start-at-task: the task's name or "role : name", exact or a glob, holding back the
 * tasks before it and none after it.
 */
class TaskSelectionTest {
    private static final Set<String> UNTAGGED = Set.of();

    private static TaskSelection tags(List<String> tags, List<String> skipTags) {
        return new TaskSelection(tags, skipTags, null);
    }

    @Test
    void withoutTagOptionsEverythingRunsButNever() {
        TaskSelection s = tags(List.of(), List.of());

        assertThat(s.tagsAllow(UNTAGGED)).isTrue();
        assertThat(s.tagsAllow(Set.of("web"))).isTrue();
        assertThat(s.tagsAllow(Set.of("always"))).isTrue();
        assertThat(s.tagsAllow(Set.of("never"))).isFalse();
        assertThat(s.tagsAllow(Set.of("never", "debug"))).isFalse();
    }

    @Test
    void tagsRunTheTasksWithOneOfThemAndAlwaysAndANeverTaskAskedForByItsOtherTag() {
        TaskSelection s = tags(List.of("web", "debug"), List.of());

        assertThat(s.tagsAllow(Set.of("web", "db"))).isTrue();
        assertThat(s.tagsAllow(Set.of("db"))).isFalse();
        assertThat(s.tagsAllow(UNTAGGED)).isFalse();
        assertThat(s.tagsAllow(Set.of("always"))).isTrue();
        assertThat(s.tagsAllow(Set.of("never", "debug"))).isTrue();
        assertThat(s.tagsAllow(Set.of("never"))).isFalse();
    }

    @Test
    void taggedAndUntaggedSelectByWhetherATaskHasTags() {
        TaskSelection tagged = tags(List.of("tagged"), List.of());
        TaskSelection untagged = tags(List.of("untagged"), List.of());

        assertThat(tagged.tagsAllow(Set.of("x"))).isTrue();
        assertThat(tagged.tagsAllow(UNTAGGED)).isFalse();
        assertThat(tagged.tagsAllow(Set.of("never", "x"))).isFalse();
        assertThat(untagged.tagsAllow(UNTAGGED)).isTrue();
        assertThat(untagged.tagsAllow(Set.of("x"))).isFalse();
    }

    @Test
    void skipTagsWinOverTagsAndOverAlwaysWhenNamed() {
        TaskSelection s = tags(List.of("web"), List.of("slow"));

        assertThat(s.tagsAllow(Set.of("web"))).isTrue();
        assertThat(s.tagsAllow(Set.of("web", "slow"))).isFalse();
        assertThat(s.tagsAllow(Set.of("always", "slow"))).isFalse();
        assertThat(tags(List.of(), List.of("always")).tagsAllow(Set.of("always"))).isFalse();
    }

    @Test
    void skippingAllSparesAlwaysUnlessAlwaysIsSkippedToo() {
        TaskSelection all = tags(List.of(), List.of("all"));
        TaskSelection allAndAlways = tags(List.of(), List.of("all", "always"));

        assertThat(all.tagsAllow(Set.of("always"))).isTrue();
        assertThat(all.tagsAllow(Set.of("web"))).isFalse();
        assertThat(all.tagsAllow(UNTAGGED)).isFalse();
        assertThat(allAndAlways.tagsAllow(Set.of("always"))).isFalse();
    }

    @Test
    void skippingTaggedOrUntaggedSkipsByWhetherATaskHasTags() {
        assertThat(tags(List.of(), List.of("tagged")).tagsAllow(Set.of("x"))).isFalse();
        assertThat(tags(List.of(), List.of("tagged")).tagsAllow(UNTAGGED)).isTrue();
        assertThat(tags(List.of(), List.of("untagged")).tagsAllow(UNTAGGED)).isFalse();
        assertThat(tags(List.of(), List.of("untagged")).tagsAllow(Set.of("x"))).isTrue();
    }

    @Test
    void withoutStartAtTaskEveryTaskIsPastTheStart() {
        assertThat(new TaskSelection(List.of(), List.of(), null).started(task("anything", null))).isTrue();
        assertThat(new TaskSelection(List.of(), List.of(), " ").started(task(null, null))).isTrue();
    }

    @Test
    void theTasksBeforeTheStartAreHeldBackAndNoneAfterIt() {
        // given
        TaskSelection s = new TaskSelection(List.of(), List.of(), "Install nginx");

        // when / then
        assertThat(s.started(task("Update cache", null))).isFalse();
        assertThat(s.started(task("Install nginx", null))).isTrue();
        assertThat(s.started(task("Update cache", null))).isTrue();
    }

    @Test
    void theStartMatchesTheNameOrRoleColonNameExactlyOrAsAGlob() {
        Role web = new Role("web", Path.of("roles/web"), Map.of(), Map.of(), Map.of(), List.of());

        assertThat(TaskSelection.matchesStart("restart", task("restart", web))).isTrue();
        assertThat(TaskSelection.matchesStart("web : restart", task("restart", web))).isTrue();
        assertThat(TaskSelection.matchesStart("web : *", task("restart", web))).isTrue();
        assertThat(TaskSelection.matchesStart("Install *", task("Install nginx", null))).isTrue();
        assertThat(TaskSelection.matchesStart("Install ?ginx", task("Install nginx", null))).isTrue();
        assertThat(TaskSelection.matchesStart("Install", task("Install nginx", null))).isFalse();
        assertThat(TaskSelection.matchesStart("db : restart", task("restart", web))).isFalse();
        // an unnamed task is matched by its action, which is its display name
        assertThat(TaskSelection.matchesStart("command", task(null, null))).isTrue();
    }

    @Test
    void aGlobMatchesTheWholeTextAndTakesOtherCharactersLiterally() {
        assertThat(TaskSelection.glob("a.b", "a.b")).isTrue();
        assertThat(TaskSelection.glob("a.b", "axb")).isFalse();
        assertThat(TaskSelection.glob("(x)+", "(x)+")).isTrue();
        assertThat(TaskSelection.glob("*x", "abx")).isTrue();
        assertThat(TaskSelection.glob("*x", "abxy")).isFalse();
        assertThat(TaskSelection.glob("?", "")).isFalse();
    }

    private static Task task(String name, Role role) {
        return new Task(SourceLocation.of("site.yml"), name, "command", Map.of(), Map.of(), role, false);
    }
}
