package io.budgetctl.engine.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ArgSpec.BadArguments;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ArgSpec converts and checks module arguments as Ansible's argument spec does, with one message shape. */
class ArgSpecTest {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("path", Arg.required("path").withAliases("dest", "name"))
            .arg("state", Arg.of("str").withDefault("file").withChoices("file", "directory", "link", "absent"))
            .arg("src", Arg.of("path"))
            .arg("force", Arg.of("bool").withDefault(false))
            .arg("follow", Arg.of("bool"))
            .arg("timeout", Arg.of("int").withDefault(30))
            .arg("ratio", Arg.of("float"))
            .arg("names", Arg.of("list"))
            .arg("headers", Arg.of("dict"))
            .arg("content", Arg.of("raw"))
            .arg("port", Arg.of("int"))
            .arg("owner", Arg.of("str"))
            .arg("group", Arg.of("str"))
            .mutuallyExclusive("port", "src")
            .requiredTogether("owner", "group")
            .requiredIf("state", "link", "src")
            .build();

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<String> problems(Map<String, Object> given) {
        try {
            SPEC.check(given);
            return List.of();
        } catch (BadArguments e) {
            assertThat(e.getMessage()).isEqualTo(String.join("; ", e.problems()));
            return e.problems();
        }
    }

    @Test
    void valuesAreConvertedToTheirTypesUnderCanonicalNamesWithDefaults() {
        // when
        Args a = SPEC.check(args("dest", "/etc/app.conf", "force", "yes", "follow", "OFF", "timeout", "45",
                "ratio", "0.5", "names", "nginx, curl,,git", "headers", "{\"A\": 1}", "content", List.of(1)));
        // then
        assertThat(a.str("path")).isEqualTo("/etc/app.conf");
        assertThat(a.str("state")).isEqualTo("file");
        assertThat(a.bool("force")).isTrue();
        assertThat(a.boolOrNull("follow")).isFalse();
        assertThat(a.integer("timeout")).isEqualTo(45);
        assertThat(a.number("ratio", 1)).isEqualTo(0.5);
        assertThat(a.list("names")).containsExactly("nginx", " curl", "", "git");
        assertThat(a.strings("names")).containsExactly("nginx", "curl", "git");
        assertThat(a.dict("headers")).containsEntry("A", 1);
        assertThat(a.raw("content")).isEqualTo(List.of(1));
        assertThat(a.boolOrNull("port")).isNull();
        assertThat(a.map()).containsKeys("path", "state", "force", "timeout").doesNotContainKey("dest");
    }

    @Test
    void checkingTwiceGivesTheSameArguments() {
        // given
        Args once = SPEC.check(args("path", "/x", "force", "on", "timeout", "7", "names", "a,b", "owner", 1000,
                "group", true));
        // when
        Args twice = SPEC.check(new HashMap<>(once.map()));
        // then
        assertThat(twice.map()).isEqualTo(once.map());
        assertThat(once.str("owner")).isEqualTo("1000");
        assertThat(once.str("group")).isEqualTo("True");
    }

    @Test
    void booleansAreAnsiblesAndOnlyThose() {
        // then
        for (Object yes : List.of("y", "YES", " on ", "1", "true", "T", 1, 1.0, true)) {
            assertThat(Booleans.strict(yes)).as("%s", yes).isTrue();
        }
        for (Object no : List.of("n", "No", "off", "0", "FALSE", "f", 0, 0.0, false)) {
            assertThat(Booleans.strict(no)).as("%s", no).isFalse();
        }
        assertThat(problems(args("path", "/x", "force", "maybe"))).containsExactly(
                "argument 'force' is of type <class 'str'> and we were unable to convert to bool: The value 'maybe'"
                        + " is not a valid boolean.  Valid booleans include: 'y', 'yes', 'on', '1', 'true', 't', 1,"
                        + " 1.0, True, 'n', 'no', 'off', '0', 'false', 'f', 0, 0.0, False");
        assertThat(problems(args("path", "/x", "force", ""))).singleElement().asString()
                .contains("The value '' is not a valid boolean");
        assertThat(problems(args("path", "/x", "force", 2))).singleElement().asString()
                .startsWith("argument 'force' is of type <class 'int'>");
        assertThat(problems(args("path", "/x", "force", List.of()))).containsExactly("argument 'force' is of type"
                + " <class 'list'> and we were unable to convert to bool: <class 'list'> cannot be converted to a bool");
    }

    @Test
    void theBoolFilterStaysAnsiblesLenientOne() {
        // then: plugins/filter/core.py to_bool, unlike module arguments: 'y' and 't' are false, nothing fails
        assertThat(Booleans.filter("Yes", "Yes")).isTrue();
        assertThat(Booleans.filter("y", "y")).isFalse();
        assertThat(Booleans.filter("maybe", "maybe")).isFalse();
        assertThat(Booleans.filter(1L, null)).isTrue();
        assertThat(Booleans.filter(2L, null)).isFalse();
        assertThat(Booleans.filter(null, null)).isNull();
    }

    @Test
    void integersAreIntegersOrTheirTextButNotFloats() {
        // then
        assertThat(SPEC.check(args("path", "/x", "timeout", " 12 ")).integer("timeout")).isEqualTo(12);
        assertThat(problems(args("path", "/x", "timeout", "1.5"))).containsExactly("argument 'timeout' is of type"
                + " <class 'str'> and we were unable to convert to int: <class 'str'> cannot be converted to an int");
        assertThat(problems(args("path", "/x", "timeout", 1.5))).singleElement().asString()
                .contains("<class 'float'> cannot be converted to an int");
    }

    @Test
    void everyProblemIsReportedOnceInOneShape() {
        // when
        List<String> p = problems(args("pth", "/x", "state", "linked", "timeout", "soon", "owner", "root"));
        // then
        assertThat(p).containsExactly(
                "unsupported parameter 'pth'; known: path, state, src, force, follow, timeout, ratio, names,"
                        + " headers, content, port, owner, group",
                "missing required argument 'path'",
                "value of state must be one of: file, directory, link, absent, got: linked",
                "argument 'timeout' is of type <class 'str'> and we were unable to convert to int: <class 'str'>"
                        + " cannot be converted to an int",
                "parameters are required together: owner, group");
    }

    @Test
    void relationsBetweenArgumentsAreChecked() {
        // then
        assertThat(problems(args("path", "/x", "port", 80, "src", "/y")))
                .containsExactly("parameters are mutually exclusive: port|src");
        assertThat(problems(args("path", "/x", "state", "link")))
                .containsExactly("state is link but all of the following are missing: src");
        assertThat(problems(args("path", "/x", "state", "link", "src", "/y"))).isEmpty();
        ArgSpec oneOf = ArgSpec.builder().arg("a", Arg.of("str")).arg("b", Arg.of("str"))
                .arg("mode", Arg.of("str")).requiredOneOf("a", "b").requiredIfAny("mode", "x", "a", "b").build();
        assertThatThrownBy(() -> oneOf.check(args("mode", "y")))
                .hasMessage("one of the following is required: a, b");
        assertThatThrownBy(() -> ArgSpec.builder().arg("a", Arg.of("str")).arg("mode", Arg.of("str"))
                .requiredIfAny("mode", "x", "a", "b").build().check(args("mode", "x")))
                .hasMessage("mode is x but any of the following are missing: a, b");
    }

    @Test
    void aRunTimeFailureIsWordedAndOrderedAsAnsiblesValidatorDoes() {
        // given: exclusive pair, two required, a choice, aliases
        ArgSpec spec = ArgSpec.builder()
                .arg("name", Arg.required("str"))
                .arg("job", Arg.required("str").withAliases("value"))
                .arg("state", Arg.of("str").withChoices("present", "absent"))
                .arg("after", Arg.of("str"))
                .arg("before", Arg.of("str").withAliases("ahead"))
                .mutuallyExclusive("after", "before")
                .build();
        // then: exclusive first, then every missing one (sorted), then choices, unknown names last
        assertThat(spec.failure("cron", args("after", "A", "ahead", "B", "bogus", 1))).isEqualTo(
                "parameters are mutually exclusive: after|before");
        assertThat(spec.failure("cron", args("bogus", 1))).isEqualTo("missing required arguments: job, name");
        assertThat(spec.failure("cron", args("name", "n", "value", "j", "state", "gone", "zz", 1, "aa", 2)))
                .isEqualTo("value of state must be one of: present, absent, got: gone");
        assertThat(spec.failure("cron", args("name", "n", "value", "j", "zz", 1, "aa", 2))).isEqualTo(
                "Unsupported parameters for (cron) module: aa, zz. Supported parameters include: after, before, job,"
                        + " name, state (ahead, value).");
        assertThat(spec.failure("cron", args("name", "n", "job", "j", "state", "absent"))).isNull();
    }

    @Test
    void choicesApplyToEachElementOfAList() {
        // given
        ArgSpec spec = ArgSpec.builder().arg("tags", Arg.of("list").withChoices("a", "b")).build();
        // then
        assertThat(spec.check(args("tags", "a,b")).list("tags")).containsExactly("a", "b");
        assertThatThrownBy(() -> spec.check(args("tags", List.of("a", "c"))))
                .hasMessage("value of tags must be one or more of: a, b. Got no match for: c");
    }

    @Test
    void anUnknownTypeIsABugInTheSpec() {
        // then
        assertThatThrownBy(() -> Arg.of("boolean")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown argument type 'boolean'; known: bool, dict, float, int, list, path, raw, str");
    }

    @Test
    void dictsComeFromMappingsJsonOrKeyValueText() {
        // then
        assertThat(SPEC.check(args("path", "/x", "headers", "a=1, b=2")).dict("headers"))
                .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(problems(args("path", "/x", "headers", "just text"))).singleElement().asString()
                .endsWith("unable to convert to dict: dictionary requested, could not parse JSON or key=value");
    }

    @Test
    void elementsOfAListAreConvertedOneByOneInAnsiblesWords() {
        // given
        ArgSpec spec = ArgSpec.builder().arg("codes", Arg.of("list").withElements("int").withDefault(List.of(200)))
                .build();
        // then: text splits at commas first, a number is a one-element list, as check_type_list
        assertThat(spec.check(args()).list("codes")).containsExactly(200);
        assertThat(spec.check(args("codes", "200, 201")).list("codes")).containsExactly(200, 201);
        assertThat(spec.check(args("codes", 204)).list("codes")).containsExactly(204);
        assertThat(spec.check(new HashMap<>(spec.check(args("codes", "301")).map())).list("codes"))
                .containsExactly(301);
        assertThatThrownBy(() -> spec.check(args("codes", List.of(200, "ok", 2.5)))).hasMessage(
                "Elements value for option 'codes' is of type <class 'str'> and we were unable to convert to int:"
                        + " <class 'str'> cannot be converted to an int; Elements value for option 'codes' is of type"
                        + " <class 'float'> and we were unable to convert to int: <class 'float'> cannot be converted"
                        + " to an int");
        assertThatThrownBy(() -> Arg.of("str").withElements("int")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("elements of type int given for an argument of type str; only a list has elements");
    }
}
