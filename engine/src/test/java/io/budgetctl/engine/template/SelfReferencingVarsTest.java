package io.budgetctl.engine.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Variables that reach themselves, like the executor's {@code hostvars}: every host's variables hold a fresh
 * {@code hostvars} again, built lazily, so the graph is infinite and its hashCode/equals/toString never end. Templates
 * must read such values without walking them whole (differential cases 06 and 20 crashed with StackOverflowError).
 */
class SelfReferencingVarsTest {
    private static final SourceLocation LOC = new SourceLocation("playbook.yml", 7, 9);
    private static final List<String> HOSTS = List.of("web1", "web2", "db1");

    private final JinjavaTemplater templater = JinjavaTemplater.create();

    /** hostvars as the executor builds it: a host's variables are computed on first access and include hostvars. */
    static final class LazyHostVars extends AbstractMap<String, Object> {
        @Override
        public Object get(Object key) {
            if (!HOSTS.contains(String.valueOf(key))) {
                return null;
            }
            return hostVars(String.valueOf(key));
        }

        @Override
        public boolean containsKey(Object key) {
            return HOSTS.contains(String.valueOf(key));
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Set<Entry<String, Object>> s = new LinkedHashSet<>();
            for (String h : HOSTS) {
                s.add(new SimpleImmutableEntry<>(h, get(h)));
            }
            return s;
        }
    }

    static Map<String, Object> hostVars(String host) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inventory_hostname", host);
        m.put("my_port", 8000 + HOSTS.indexOf(host));
        m.put("my_label", host + ":" + (8000 + HOSTS.indexOf(host)));
        m.put("my_list", List.of(host, "x"));
        m.put("my_flag", true);
        m.put("ansible_distribution", "Debian");
        m.put("groups", Map.of("all", HOSTS));
        m.put("hostvars", new LazyHostVars());
        return m;
    }

    @Test
    void readsAnotherHostsFactThroughHostvarsWithSubscripts() {
        // given
        Map<String, Object> vars = hostVars("web1");

        // when
        Object out = templater.render("{{ hostvars['db1']['ansible_distribution'] }}\n", vars, LOC);

        // then
        assertThat(out).isEqualTo("Debian\n");
    }

    @Test
    void loopsOverEveryHostsFactsThroughHostvarsAttributes() {
        // given: the copy content of differential case 06
        Map<String, Object> vars = hostVars("web1");
        String content = """
                {% for h in groups['all'] %}
                {{ h }} port={{ hostvars[h].my_port }} label={{ hostvars[h].my_label }} \
                list={{ hostvars[h].my_list | join('/') }} flag={{ hostvars[h].my_flag }}
                {% endfor %}
                """;

        // when
        Object out = templater.render(content, vars, LOC);

        // then
        assertThat(out).isEqualTo("""
                web1 port=8000 label=web1:8000 list=web1/x flag=True
                web2 port=8001 label=web2:8001 list=web2/x flag=True
                db1 port=8002 label=db1:8002 list=db1/x flag=True
                """);
    }

    @Test
    void evaluatesExpressionsNextToHostvars() {
        // given: the set_fact/assert expressions of differential case 06
        Map<String, Object> vars = hostVars("web2");
        vars.put("base_port", 8000);

        // when
        Object port = templater.render("{{ base_port + groups['all'].index(inventory_hostname) }}", vars, LOC);
        Object matches = templater.evaluate("my_label is match('^(web|db)[0-9]:80[0-9][0-9]$')", vars, LOC);

        // then
        assertThat(port).isEqualTo(8001L);
        assertThat(matches).isEqualTo(true);
    }

    @Test
    void printingAnEndlessValueIsAnErrorWithTheLocationNotACrash() {
        // given: printing hostvars whole would print itself forever
        Map<String, Object> vars = hostVars("web1");

        // when / then
        assertThatThrownBy(() -> templater.render("x={{ hostvars }}", vars, LOC))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.location()).isEqualTo(LOC);
                    assertThat(e.getMessage()).contains("too deep");
                });
    }
}
