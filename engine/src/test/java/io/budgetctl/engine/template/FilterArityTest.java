package io.budgetctl.engine.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Filters and tests take the arguments of their Python functions (ansible-core 2.14, Jinja2 3.1): the same positional
 * order, keyword names and defaults, and a call Python would refuse fails here too, naming the argument. Every
 * expected value is what ansible-core 2.14.18 with Jinja2 3.1.2 gives for the same expression (its Templar, as
 * render_jinja2.py runs it), unless a comment says the behaviour is ours.
 */
class FilterArityTest {
    private static final SourceLocation LOC = new SourceLocation("roles/app/tasks/main.yml", 3, 9);

    private final JinjavaTemplater templater = JinjavaTemplater.create();

    private Object eval(String expression) {
        return eval(expression, Map.of());
    }

    private Object eval(String expression, Map<String, Object> vars) {
        return templater.evaluate(expression, vars, LOC);
    }

    private void fails(String expression, String message, String hint) {
        assertThatThrownBy(() -> eval(expression)).as(expression).isInstanceOfSatisfying(EngineException.class,
                e -> {
                    assertThat(e.getMessage()).contains(message);
                    assertThat(e.hint()).contains(hint);
                    assertThat(e.location()).isEqualTo(LOC);
                });
    }

    // ---- how arguments bind ----------------------------------------------------------------------------------------

    @Test
    void aMissingExtraUnknownOrDoubledArgumentFailsAsPythonsTypeErrorDoes() {
        // Python: do_replace() missing 1 required positional argument: 'new'
        fails("'abc' | replace('b')", "replace() missing 1 required positional argument: 'new'",
                "replace(old, new, count=None)");
        fails("'abc' | replace()", "missing 2 required positional arguments: 'old' and 'new'", "replace(");
        // Python: do_int() takes from 1 to 3 positional arguments but 5 were given (it counts the value)
        fails("'4' | int(1, 2, 3, 4)", "int() takes at most 2 positional arguments but 4 were given",
                "int(default=0, base=10)");
        fails("'x' | upper(1)", "upper() takes no arguments but 1 was given", "upper()");
        fails("'x' | trim(foo=1)", "trim() got an unexpected keyword argument 'foo'", "trim(chars=None)");
        fails("'abc' | replace('a', 'b', old='c')", "replace() got multiple values for argument 'old'", "replace(");
        // Jinja2's eq test is operator.eq: "_operator.eq() takes no keyword arguments"
        fails("1 is eq(b=1)", "eq() got some positional-only arguments passed as keyword arguments: 'b'", "eq(b, /)");
        fails("1 | ternary('a')", "ternary() missing 1 required positional argument: 'false_val'", "ternary(");
        fails("[1, 2] | union", "union() missing 1 required positional argument: 'b'", "union(b)");
        fails("[1, 2, 3] | batch", "batch() missing 1 required positional argument: 'linecount'", "batch(");
        fails("0 | extract", "extract() missing 1 required positional argument: 'container'", "extract(");
        fails("'abc' | regex_findall()", "regex_findall() missing 1 required positional argument: 'regex'",
                "regex_findall(regex, multiline=False, ignorecase=False)");
        fails("10 is divisibleby", "divisibleby() missing 1 required positional argument: 'num'", "divisibleby");
        // a bad type names the argument instead of a Java ClassCastException
        fails("'ab' | center('x')", "center: width must be an integer, got str", "center(width=80)");
        fails("'a' | replace('a', 'b', 'x')", "replace: count must be an integer, got str", "replace(");
    }

    @Test
    void keywordNamesArePythons() {
        assertThat(eval("'a,b,c' | split(sep=',', maxsplit=1)")).isEqualTo(List.of("a", "b,c"));
        assertThat(eval("{'a': 1} | dict2items(value_name='v')")).isEqualTo(List.of(Map.of("key", "a", "v", 1L)));
        assertThat(eval("'abc' | replace(old='b', new='x', count=0)")).isEqualTo("abc");
        // Ansible's contains test is contains(seq, value): its argument is called value
        assertThat(eval("[1, 2] is contains(value=2)")).isEqualTo(true);
        assertThat(eval("1 is sameas(other=1)")).isEqualTo(true);
        // Jinja2's min/max(case_sensitive=False, attribute=None) take them by position too
        assertThat(eval("['b', 'A', 'c'] | max(true)")).isEqualTo("c");
        assertThat(eval("users | min(false, 'name')", Map.of("users", List.of(Map.of("name", "b"),
                Map.of("name", "A"))))).isEqualTo(Map.of("name", "A"));
        // '12' | int(base='x') is 12: Jinja2 falls back to int(float(value)) when int(value, base) fails
        assertThat(eval("'12' | int(base='x')")).isEqualTo(12L);
        // a test taking one argument gets a tuple whole; one taking several gets it spread
        assertThat(eval("2 is in((1, 2))")).isEqualTo(true);
        assertThat(eval("'2.14.3' is version('2.9', '>=')")).isEqualTo(true);
    }

    @Test
    void whatWeDoNotImplementFailsNamingTheArgumentInsteadOfBeingIgnored() {
        // Python accepts these; we refuse them by name (listed in docs/templating.md)
        fails("{'a': 1} | to_json(skipkeys=true)", "to_json: the argument 'skipkeys' is not supported here",
                "to_json takes (*, indent=None");
        fails("{'a': 1} | to_yaml(explicit_start=true)", "the argument 'explicit_start' is not supported here",
                "to_yaml takes");
        fails("'{}' | from_json(strict=false)", "from_json: strict=False is not supported", "control characters");
        fails("'1' is version('2', '>=', version_type='semver')", "version: version_type 'semver' is not supported",
                "'loose'");
        // Python refuses these too (json.dumps' options are keyword-only; to_nice_json sets separators itself)
        fails("{'a': 1} | to_json(2)", "to_json() takes no arguments but 1 was given", "to_json(*, indent=None");
        fails("{'a': 1} | to_nice_json(separators=[',', ':'])", "the argument 'separators' is not supported",
                "to_nice_json takes (indent=4, sort_keys=True");
    }

    // ---- string filters --------------------------------------------------------------------------------------------

    @Test
    void regexReplaceTakesIgnorecaseAndMultilineInAnsiblesPositionalOrder() {
        // ansible-core 2.14: regex_replace(value='', pattern='', replacement='', ignorecase=False, multiline=False)
        assertThat(eval("'aBc' | regex_replace('b', 'x', True)")).isEqualTo("axc");
        assertThat(eval("ml | regex_replace('^b', 'X', False, True)", Map.of("ml", "a\nb"))).isEqualTo("a\nX");
        assertThat(eval("'abc' | regex_replace()")).isEqualTo("abc");
        // count is ours (2.14 has none): keyword-only, so no positional argument changes meaning
        assertThat(eval("'aaa' | regex_replace('a', 'x', count=2)")).isEqualTo("xxa");
        fails("'aaa' | regex_replace('a', 'x', False, False, 1)",
                "regex_replace() takes at most 4 positional arguments but 5 were given", "*, count=0)");
    }

    @Test
    void wordcountCountsWordCharactersAsJinja2Does() {
        // Jinja2: len(re.findall(r"\w+", s)); splitting on white space gave 1 for '' and 3 for ' a b'
        assertThat(eval("'' | wordcount")).isEqualTo(0L);
        assertThat(eval("' a b' | wordcount")).isEqualTo(2L);
        assertThat(eval("'foo-bar baz_q 1.5' | wordcount")).isEqualTo(5L);
        assertThat(eval("'grüße – 日本' | wordcount")).isEqualTo(2L);
    }

    @Test
    void replaceFollowsStrReplaceForCountsAndTheEmptyString() {
        assertThat(eval("'aaa' | replace('a', 'b', -1)")).isEqualTo("bbb");
        assertThat(eval("'abc' | replace('', '-', 2)")).isEqualTo("-a-bc");
        assertThat(eval("'abc' | replace('', '-')")).isEqualTo("-a-b-c-");
        // str.replace's count, which the method ignored before
        assertThat(eval("'aaa'.replace('a', 'b', 1)")).isEqualTo("baa");
    }

    @Test
    void strMethodsAndFiltersShareOneImplementationEach() {
        Map<String, Object> vars = Map.of("s", "a\r\nb\u000bc\n\nd", "t", "it's 2nd \u01c6x", "nb", "\u00a0x\u00a0");
        // str.splitlines ends lines where Python does (\r\n, \v ...), not where Java's String.lines() does
        assertThat(eval("s.splitlines()", vars)).isEqualTo(List.of("a", "b", "c", "", "d"));
        // str.capitalize and the capitalize filter: the first letter in title case
        assertThat(eval("'ßa'.capitalize()")).isEqualTo("Ssa");
        assertThat(eval("'ßa' | capitalize")).isEqualTo("Ssa");
        assertThat(eval("'\u01c6x' | capitalize")).isEqualTo("\u01c5x");
        // str.title is not Jinja2's title filter
        assertThat(eval("t.title()", vars)).isEqualTo("It'S 2Nd \u01c5x");
        assertThat(eval("t | title", vars)).isEqualTo("It's 2nd \u01c4x");
        // '\xa0x\xa0'.strip() == 'x' (str.isspace), as trim gives it
        assertThat(eval("nb.strip()", vars)).isEqualTo("x");
        assertThat(eval("nb | trim", vars)).isEqualTo("x");
    }

    @Test
    void indentUrlencodeRegexEscapeAndFormatAreJinja2sAndAnsibles() {
        // indent: lines as str.splitlines() finds them, rejoined with \n
        assertThat(eval("s | indent(2)", Map.of("s", "a\r\nb\u000bc\n\nd"))).isEqualTo("a\n  b\n  c\n\n  d");
        // urlencode: urllib.parse.quote (keeps ~, quotes *), and a dict as a query string
        assertThat(eval("'a b/c*~+é&' | urlencode")).isEqualTo("a%20b/c%2A~%2B%C3%A9%26");
        assertThat(eval("{'a b': 'x/y', 'k': 1} | urlencode")).isEqualTo("a+b=x%2Fy&k=1");
        // regex_escape: Python 3.7+'s re.escape leaves / alone; re_type='posix_basic' escapes BRE's specials
        assertThat(eval("'a/b.c-d' | regex_escape")).isEqualTo("a/b\\.c\\-d");
        assertThat(eval("'a.b[c]*' | regex_escape('posix_basic')")).isEqualTo("a\\.b\\[c\\]\\*");
        fails("'a' | regex_escape('posix_extended')", "Regex type (posix_extended) not yet implemented", "python");
        // format(**kwargs) is '%(name)s' % kwargs; both kinds at once is refused
        assertThat(eval("'%(host)s:%(port)d' | format(host='web', port=80)")).isEqualTo("web:80");
        fails("'%s' | format(1, a=2)", "can't handle positional and keyword arguments at the same time", "format(");
    }

    // ---- value, encoding and dict filters ---------------------------------------------------------------------------

    @Test
    void absTakesNumbersOnlyAndABoolIsOne() {
        assertThat(eval("-3 | abs")).isEqualTo(3L);
        assertThat(eval("-2.5 | abs")).isEqualTo(2.5);
        assertThat(eval("true | abs")).isEqualTo(1L);
        // Python: bad operand type for abs(): 'str' (we threw a ClassCastException)
        fails("'x' | abs", "abs: bad operand type for abs(): 'str'", "x | int | abs");
    }

    @Test
    void jsonAndYamlTakeThePythonOptionsWeCanHonour() {
        assertThat(eval("{'b': 1, 'a': 'é'} | to_json(separators=[',', ':'], ensure_ascii=false, sort_keys=true)"))
                .isEqualTo("{\"a\":\"é\",\"b\":1}");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("b", List.of(1L, 2L));
        d.put("a", 1L);
        assertThat(eval("d | to_yaml(sort_keys=false)", Map.of("d", d))).isEqualTo("b: [1, 2]\na: 1\n");
        assertThat(eval("{'a': [1, {'b': [2]}], 'c': {}} | to_yaml(default_flow_style=true)"))
                .isEqualTo("{a: [1, {b: [2]}], c: {}}\n");
        // to_yaml(a, *args, **kw) drops its positional arguments; width is accepted (we never fold)
        assertThat(eval("{'a': 1} | to_yaml(4, width=1000)")).isEqualTo("{a: 1}\n");
    }

    @Test
    void base64TakesAnEncodingAsPythonNamesIt() {
        // utf-16-le is what PowerShell's -EncodedCommand wants; Python's utf-16 writes a little-endian BOM
        assertThat(eval("'é' | b64encode('utf-16-le')")).isEqualTo("6QA=");
        assertThat(eval("'é' | b64encode(encoding='utf-16')")).isEqualTo("//7pAA==");
        assertThat(eval("'//7pAA==' | b64decode('utf-16')")).isEqualTo("é");
        assertThat(eval("'é' | b64encode('latin-1')")).isEqualTo("6Q==");
        fails("'é' | b64encode('nope')", "b64encode: unknown encoding: nope", "utf-8");
    }

    @Test
    void passwordHashTakesASaltSize() {
        // '$1$' + 4 salt characters + '$' + 22: Python gives 30 as well
        assertThat(eval("'x' | password_hash('md5', salt_size=4) | length")).isEqualTo(30L);
        // Python: "sha256_crypt: salt_size (20) above max_salt_size (16)"
        fails("'x' | password_hash('sha256', salt_size=20)", "password_hash: invalid salt size 20 for sha256",
                "at most 16");
    }

    @Test
    void combineDictsortAndItemsFollowAnsibleAndJinja2() {
        // Ansible flattens the value and the arguments one level and drops None
        assertThat(eval("[{'a': 1}, {'b': 2}] | combine")).isEqualTo(Map.of("a", 1L, "b", 2L));
        assertThat(eval("none | combine({'a': 1})")).isEqualTo(Map.of("a", 1L));
        assertThat(eval("{'a': 1} | combine([{'b': 2}], {'c': 3})")).isEqualTo(Map.of("a", 1L, "b", 2L, "c", 3L));
        fails("{'a': 1} | combine({'b': 1}, foo=1)", "combine() got an unexpected keyword argument 'foo'",
                "recursive=False, list_merge='replace'");
        fails("{'b': 1} | dictsort(false, 'x')", "You can only sort by either \"key\" or \"value\"", "by='value'");
        // Jinja2: "x|items is x.items(), except an undefined x gives nothing"
        assertThat(eval("missing | items | list")).isEqualTo(List.of());
    }

    // ---- list filters ----------------------------------------------------------------------------------------------

    @Test
    void randomTakesStartStepAndASeedAndPicksWhatAnsiblePicks() {
        assertThat(eval("[1, 2, 3] | random(seed=42)")).isEqualTo(3L);
        assertThat(eval("10 | random(seed=42)")).isEqualTo(1L);
        assertThat(eval("10 | random(1, 3, seed=7)")).isEqualTo(4L);
        assertThat(eval("59 | random(seed='db-03')")).isEqualTo(25L);
        assertThat(eval("1000000 | random(seed='web01')")).isEqualTo(371850L);
        assertThat(eval("['a', 'b', 'c', 'd'] | random(seed='web01')")).isEqualTo("c");
        assertThat(eval("60 | random(start=5, step=5, seed='web01')")).isEqualTo(30L);
        assertThat(eval("10 | random(seed=-7)")).isEqualTo(5L);
        assertThat((Long) eval("10 | random(5)")).isBetween(5L, 9L);
        fails("[1, 2] | random(1)", "start and step can only be used with integer values", "random(start");
        fails("[] | random", "Cannot choose from an empty sequence", "non-empty");
        fails("0 | random", "empty range for randrange() (0, 0, 0)", "0 .. n-1");
        fails("5.5 | random", "random can only be used on sequences and integers", "list");
    }

    @Test
    void uniqueIsJinja2sCaseInsensitiveOneAsAnsible214CallsIt() {
        assertThat(eval("['a', 'A', 'b'] | unique")).isEqualTo(List.of("a", "b"));
        assertThat(eval("['a', 'A', 'b'] | unique(true)")).isEqualTo(List.of("a", "A", "b"));
        assertThat(eval("users | unique(attribute='n') | map(attribute='v') | list", Map.of("users", List.of(
                Map.of("n", "x", "v", 1L), Map.of("n", "X", "v", 2L))))).isEqualTo(List.of(1L));
        // dicts cannot go in Jinja2's set: Ansible falls back to plain equality, but not with case_sensitive=False
        assertThat(eval("[{'a': 1}, {'a': 1}, {'a': 2}] | unique")).isEqualTo(List.of(Map.of("a", 1L),
                Map.of("a", 2L)));
        fails("[{'a': 1}] | unique(false)", "cannot fall back to Ansible's version", "case_sensitive=False");
        // the set filters stay case-sensitive (Ansible calls unique(..., True))
        assertThat(eval("['a', 'A'] | union(['a'])")).isEqualTo(List.of("a", "A"));
    }

    @Test
    void flattenDropsNullStringsAndTakesLevelsAsAnsibleDoes() {
        assertThat(eval("[1, None, 'None', 'null', [2, [None]]] | flatten")).isEqualTo(List.of(1L, 2L));
        assertThat(eval("[1, [2, [3]]] | flatten(levels=-1)")).isEqualTo(List.of(1L, List.of(2L, List.of(3L))));
        assertThat(eval("[1, [2, [3]]] | flatten(1)")).isEqualTo(List.of(1L, 2L, List.of(3L)));
        assertThat(eval("[1, [None]] | flatten(skip_nulls=false)")).isEqualTo(java.util.Arrays.asList(1L, null));
    }

    @Test
    void mapAndSelectHandTheirKeywordArgumentsToTheFilterOrTest() {
        assertThat(eval("['a', 'B'] | map('regex_replace', 'b', 'x', ignorecase=True) | list"))
                .isEqualTo(List.of("a", "x"));
        assertThat(eval("['a', 'B'] | select('regex', 'b', ignorecase=true) | list")).isEqualTo(List.of("B"));
        fails("[1, 2] | map", "map requires a filter argument", "map(attribute='name')");
        fails("[{'x': 1}] | map(attribute='x', foo=1) | list", "Unexpected keyword argument 'foo'", "default=");
        fails("[{'x': 1}] | selectattr | list", "Missing parameter for attribute name", "selectattr('name')");
        assertThat(eval("[] | selectattr | list")).isEqualTo(List.of());
    }

    @Test
    void sortTakesSeveralAttributesAndZipTakesStrict() {
        List<Object> users = List.of(Map.of("name", "b", "age", 2L), Map.of("name", "A", "age", 1L),
                Map.of("name", "a", "age", 2L));
        assertThat(eval("users | sort(attribute='age,name') | map(attribute='name') | list", Map.of("users", users)))
                .isEqualTo(List.of("A", "a", "b"));
        assertThat(eval("[1, 2] | zip([3, 4], [5, 6], strict=true)")).isEqualTo(List.of(List.of(1L, 3L, 5L),
                List.of(2L, 4L, 6L)));
        fails("[1, 2] | zip([3], strict=true)", "zip() argument 2 is shorter than argument 1", "zip_longest");
    }

    @Test
    void dataFiltersTakeAnsiblesArguments() {
        // from_yaml hands back what is not a string
        assertThat(eval("{'a': 1} | from_yaml")).isEqualTo(Map.of("a", 1L));
        assertThat(eval("'/a/b' | relpath(start='/a')")).isEqualTo("b");
        fails("'http://h' | urlsplit('x', alias='myurl')", "myurl: unknown URL component: x", "hostname");
        assertThat(eval("'hello world foo bar' | truncate(9, leeway=none)")).isEqualTo("hello...");
    }

    // ---- tests -----------------------------------------------------------------------------------------------------

    @Test
    void testsTakeTheirPythonArgumentsToo() {
        assertThat(eval("'no' is truthy")).isEqualTo(true);
        assertThat(eval("'no' is truthy(convert_bool=true)")).isEqualTo(false);
        assertThat(eval("'off' is falsy(true)")).isEqualTo(true);
        assertThat(eval("'maybe' is truthy(convert_bool=true)")).isEqualTo(true);
        assertThat(eval("'abc' is regex('abc', False, False, 'fullmatch')")).isEqualTo(true);
        assertThat(eval("'abc' is regex('ab', match_type='fullmatch')")).isEqualTo(false);
        assertThat(eval("'2.14.3' is version('2.9', '>=', version_type='strict')")).isEqualTo(true);
        fails("'2.14.3' is version('2.9', '>=', true, 'loose')", "Cannot specify both 'strict' and 'version_type'",
                "one of them");
        // str.islower() wants a cased letter; % takes floats
        assertThat(eval("'123' is lower")).isEqualTo(false);
        assertThat(eval("3.0 is odd")).isEqualTo(true);
        assertThat(eval("3.5 is odd")).isEqualTo(false);
        fails("'x' is odd", "odd: the value must be a number, got str", "int is odd");
    }
}
