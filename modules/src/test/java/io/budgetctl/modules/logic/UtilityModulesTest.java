package io.budgetctl.modules.logic;

import static io.budgetctl.modules.ModuleTestSupport.args;
import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleTestSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** debug, set_fact, assert, fail, pause: the modules that never touch the host. */
class UtilityModulesTest {

    @Test
    void debugPrintsMsgOrHelloWorld() {
        Result hello = new DebugModule().run(ModuleTestSupport.local(), args());
        Result msg = new DebugModule().run(ModuleTestSupport.local(), args("msg", List.of("a", 1)));
        assertThat(hello).isInstanceOf(Result.Ok.class);
        assertThat(hello.data()).isEqualTo(Map.of("msg", "Hello world!"));
        assertThat(msg.data()).isEqualTo(Map.of("msg", List.of("a", 1)));
    }

    @Test
    void debugVarEvaluatesTheExpressionAndKeysTheResultByIt() {
        // given
        ModuleContext ctx = ModuleTestSupport.context(false, Map.of("result", Map.of("rc", 3, "stdout", "x")));
        // when
        Result r = new DebugModule().run(ctx, args("var", "result.rc + 1"));
        Result plain = new DebugModule().run(ctx, args("var", "result.stdout"));
        // then
        assertThat(r.data()).containsEntry("result.rc + 1", 4L);
        assertThat(plain.data()).isEqualTo(Map.of("result.stdout", "x"));
    }

    @Test
    void debugVarThatIsUndefinedSaysSoLikeAnsible() {
        Result r = new DebugModule().run(ModuleTestSupport.local(), args("var", "nope"));
        Result nested = new DebugModule().run(ModuleTestSupport.local(), args("var", "nope.deeper"));
        assertThat(r.data()).isEqualTo(Map.of("nope", "VARIABLE IS NOT DEFINED!"));
        assertThat(nested.data()).isEqualTo(Map.of("nope.deeper", "VARIABLE IS NOT DEFINED!"));
    }

    @Test
    void debugRejectsMsgWithVarAndHonoursVerbosity() {
        Result both = new DebugModule().run(ModuleTestSupport.local(), args("msg", "a", "var", "b"));
        Result quiet = new DebugModule().run(ModuleTestSupport.local(), args("msg", "a", "verbosity", 1));
        Result loud = new DebugModule().run(ModuleTestSupport.context(false, Map.of("ansible_verbosity", 2)),
                args("msg", "a", "verbosity", 1));
        assertThat(both.msg()).isEqualTo("'msg' and 'var' are incompatible options");
        assertThat(quiet).isInstanceOf(Result.Skipped.class);
        // registered as Ansible registers it: the reason, no msg
        assertThat(quiet.msg()).isNull();
        assertThat(quiet.data()).containsExactly(Map.entry("skipped_reason", "Verbosity threshold not met."),
                Map.entry("skipped", true), Map.entry("failed", false), Map.entry("changed", false));
        assertThat(loud.data()).isEqualTo(Map.of("msg", "a"));
    }

    @Test
    void setFactReturnsAnsibleFactsAndIgnoresCacheable() {
        Result r = new SetFactModule().run(ModuleTestSupport.local(),
                args("release", "1.2", "ports", List.of(80, 443), "cacheable", true));
        assertThat(r).isInstanceOf(Result.Ok.class);
        assertThat(r.data()).isEqualTo(Map.of("ansible_facts", Map.of("release", "1.2", "ports", List.of(80, 443))));
    }

    @Test
    void setFactAcceptsAnyKeyInItsSpecButRejectsInvalidNames() {
        assertThat(new SetFactModule().spec().validate(Map.of("anything", 1))).isEmpty();
        Result r = new SetFactModule().run(ModuleTestSupport.local(), args("bad-name", 1));
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).startsWith("The variable name 'bad-name' is not valid.");
    }

    @Test
    void assertPassesWhenAllConditionsHold() {
        ModuleContext ctx = ModuleTestSupport.context(false, Map.of("rc", 0, "out", "ready"));
        Result r = new AssertModule().run(ctx, args("that", List.of("rc == 0", "'read' in out")));
        Result custom = new AssertModule().run(ctx, args("that", "rc == 0", "success_msg", "fine"));
        assertThat(r).isInstanceOf(Result.Ok.class);
        assertThat(r.msg()).isEqualTo("All assertions passed");
        assertThat(custom.msg()).isEqualTo("fine");
    }

    @Test
    void assertFailsOnTheFirstFalseConditionWithAnsiblesKeys() {
        // given
        ModuleContext ctx = ModuleTestSupport.context(false, Map.of("rc", 2));
        // when
        Result r = new AssertModule().run(ctx, args("that", List.of("rc > 1", "rc == 0", "rc == 5")));
        Result custom = new AssertModule().run(ctx, args("that", "rc == 0", "msg", "rc was {{ rc }}"));
        // then
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).isEqualTo("Assertion failed");
        assertThat(r.data()).containsEntry("assertion", "rc == 0").containsEntry("evaluated_to", false);
        assertThat(custom.msg()).isEqualTo("rc was {{ rc }}");
    }

    @Test
    void assertWarnsOfBracesInTheItemsAsWrittenAndNamesTheWrittenItemWhenItFails() {
        // given: the task wrote ["{{ x }} == 1", "x == 1", "{{ x }} == 2"]; the module gets them templated
        List<String> written = List.of("{{ x }} == 1", "x == 1", "{{ x }} == 2");
        List<String> warnings = new java.util.ArrayList<>();
        ModuleContext ctx = written(ModuleTestSupport.context(false, Map.of("x", 1)), Map.of("that", written),
                warnings);
        // when
        Result r = new AssertModule().run(ctx, args("that", List.of("1 == 1", "x == 1", "1 == 2")));
        // then: one warning per evaluated item with braces, and the failed one as written
        assertThat(warnings).containsExactly(
                "conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. "
                        + "Found: {{ x }} == 1",
                "conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. "
                        + "Found: {{ x }} == 2");
        assertThat(r.data()).containsEntry("assertion", "{{ x }} == 2");
    }

    @Test
    void assertWithoutAWrittenListOrWithQuietDoesNotWarnAndQuietIsNotAlwaysShown() {
        // given: that: "{{ conds }}" (a variable holding conditions): nothing written to look at
        List<String> warnings = new java.util.ArrayList<>();
        ModuleContext ctx = written(ModuleTestSupport.context(false, Map.of("x", 1)), Map.of("that", "{{ conds }}"),
                warnings);
        // when
        Result shown = new AssertModule().run(ctx, args("that", List.of("x == 1", "1 == 1")));
        Result quiet = new AssertModule().run(ctx, args("that", List.of("x == 1"), "quiet", true));
        // then
        assertThat(warnings).isEmpty();
        assertThat(shown.data()).containsEntry(Result.VERBOSE_ALWAYS, true).containsEntry("changed", false);
        assertThat(quiet.data()).doesNotContainKey(Result.VERBOSE_ALWAYS);
    }

    /** {@code ctx} with the task's arguments as written and a warnings sink, as the executor's context has them. */
    private static ModuleContext written(ModuleContext ctx, Map<String, Object> writtenArgs, List<String> warnings) {
        return (ModuleContext) java.lang.reflect.Proxy.newProxyInstance(ModuleContext.class.getClassLoader(),
                new Class<?>[] {ModuleContext.class}, (proxy, method, a) -> switch (method.getName()) {
                    case "written" -> writtenArgs.get((String) a[0]);
                    case "warn" -> {
                        warnings.add((String) a[0]);
                        yield null;
                    }
                    default -> method.isDefault()
                            ? java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, a)
                            : method.invoke(ctx, a);
                });
    }

    @Test
    void assertOnAnUndefinedVariableFailsWithTheConditionInTheMessage() {
        Result r = new AssertModule().run(ModuleTestSupport.local(), args("that", "missing_var == 1"));
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).startsWith("The conditional check 'missing_var == 1' failed. The error was: ")
                .contains("missing_var");
    }

    @Test
    void failFailsWithItsMessageOrTheDefault() {
        assertThat(new FailModule().run(ModuleTestSupport.local(), args()).msg())
                .isEqualTo("Failed as requested from task");
        Result r = new FailModule().run(ModuleTestSupport.local(), args("msg", "license expired"));
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).isEqualTo("license expired");
    }

    @Test
    void pauseWaitsTheGivenSecondsAndReportsLikeAnsible() {
        long t0 = System.nanoTime();
        Result r = new PauseModule().run(ModuleTestSupport.local(), args("seconds", 1));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isBetween(990L, 3000L);
        assertThat(r.data()).containsEntry("delta", 1).containsEntry("user_input", "");
        assertThat((String) r.data().get("stdout")).matches("Paused for 1\\.\\d+ seconds");
    }

    @Test
    void pauseWithOnlyAPromptFailsClearly() {
        Result r = new PauseModule().run(ModuleTestSupport.local(), args("prompt", "Press enter"));
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).contains("non-interactively").contains("seconds");
    }
}
