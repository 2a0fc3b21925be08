package io.budgetctl.engine.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Secrecy follows the value through templates: what is computed from a secret is a secret. */
class SecretFlowTest {
    private static final SourceLocation LOC = new SourceLocation("play.yml", 3, 7);
    private static final String PW = "Hunter2-Pass";
    private final JinjavaTemplater templater = JinjavaTemplater.create();
    private final Map<String, Object> vars = Map.of("pw", Secret.of(PW), "user", "admin", "users", List.of("a", "b"));

    /** A sink like the executor's ledger: what it is told, and the values it knows. */
    static final class Sink implements SecretFlow.Sink {
        final Set<String> derived = new LinkedHashSet<>();
        final List<Secret> revealed = new ArrayList<>();
        final Map<String, SecretFlow.Form> forms = new java.util.HashMap<>();

        @Override
        public void revealed(Secret secret) {
            revealed.add(secret);
        }

        @Override
        public void derived(String value, SecretFlow.Form form) {
            if (form != SecretFlow.Form.DIGESTS) {
                derived.add(value);
            }
            forms.put(value, form);
        }

        @Override
        public Collection<String> known() {
            List<String> out = new ArrayList<>(derived);
            revealed.forEach(s -> out.add(s.reveal()));
            return out;
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", value = {
        "{{ pw | upper }}                               => HUNTER2-PASS",
        "{{ pw | lower }}                               => hunter2-pass",
        "{{ pw | b64encode }}                           => SHVudGVyMi1QYXNz",
        "{{ pw | hash('sha1') }}                        => 2d6a1d4d6e2e2c0c5d8a4c80b3b3b0a0bb5a5a3e",
        "{{ pw | hash('sha256') }}                      => sha256",
        "{{ pw[2:8] }}                                  => nter2-",
        "{{ pw | reverse }}                             => ssaP-2retnuH",
        "{{ pw | replace('Pass', 'Word') }}             => Hunter2-Word",
        "{{ pw | urlencode }}                           => Hunter2-Pass",
        "{{ '%s:%s' | format(user, pw) }}               => admin:Hunter2-Pass",
        "{{ user ~ ':' ~ pw }}                          => admin:Hunter2-Pass",
        "{{ 'Basic ' ~ (user ~ ':' ~ pw) | b64encode }} => Basic YWRtaW46SHVudGVyMi1QYXNz",
        "{{ pw.upper() }}                               => HUNTER2-PASS",
        "{{ pw | list | join('.') }}                    => H.u.n.t.e.r.2.-.P.a.s.s",
        "{{ [user, pw] | join(':') }}                   => admin:Hunter2-Pass",
        "x={{ pw | upper }}!                            => x=HUNTER2-PASS!",
    })
    void whatATemplateComputesFromASecretIsASecret(String template, String expected) {
        // given a sink that collects derived values
        Sink sink = new Sink();

        // when
        Object out = SecretFlow.into(sink, () -> templater.render(template, vars, LOC));

        // then the result is a Secret whose plaintext is what the host gets, and the sink knows it
        assertThat(out).isInstanceOf(Secret.class).hasToString(Secret.MASK);
        String plain = ((Secret) out).reveal();
        if (expected.equals("sha256")) {
            assertThat(plain).hasSize(64);
        } else if (template.contains("sha1")) {
            assertThat(plain).hasSize(40);
        } else {
            assertThat(plain).isEqualTo(expected);
        }
        // (the whole of an evaluated expression; the printed expression inside text around it)
        assertThat(sink.derived).contains(template.startsWith("{{") ? plain : plain.substring(2, plain.length() - 1));
        assertThat(sink.revealed).extracting(Secret::reveal).contains(PW);
    }

    @Test
    void aFilterInsideALargerTextReportsItsOwnOutput() {
        // given the basic-auth header idiom
        Sink sink = new Sink();
        String b64 = Base64.getEncoder().encodeToString(("admin:" + PW).getBytes(StandardCharsets.UTF_8));

        // when
        SecretFlow.into(sink, () -> templater.renderText("Authorization: Basic {{ (user ~ ':' ~ pw) | b64encode }}\n",
                vars, LOC));

        // then the encoded credentials alone are a derived secret (a host that echoes just them is masked too)
        assertThat(sink.derived).contains(b64);
    }

    @Test
    void aListMadeFromASecretHoldsSecrets() {
        // when
        Object out = templater.render("{{ pw | list }}", vars, LOC);

        // then every element is a Secret: a single character printed alone would not be recognisable
        assertThat(out).asList().hasSize(PW.length()).allMatch(Secret.class::isInstance);
        assertThat(out.toString()).doesNotContain("H").doesNotContain("u");
    }

    @Test
    void aSecretRenderedAloneStaysASecret() {
        // when
        Object out = templater.render("{{ pw }}", vars, LOC);

        // then
        assertThat(out).isEqualTo(vars.get("pw"));
    }

    @Test
    void textThatTouchedNoSecretStaysText() {
        // when
        Object text = templater.render("{{ user | upper }}-{{ users | join(',') }}", vars, LOC);
        Object list = templater.render("{{ users }}", vars, LOC);

        // then
        assertThat(text).isEqualTo("ADMIN-a,b");
        assertThat(list).isEqualTo(List.of("a", "b"));
    }

    @Test
    void conditionsAndCountsOnASecretStayBooleansAndNumbers() {
        // when / then: deciding on a secret or measuring it does not print it
        assertThat(templater.evaluate("pw == 'x'", vars, LOC)).isEqualTo(false);
        assertThat(templater.render("{{ pw | length }}", vars, LOC)).isEqualTo(12L);
        assertThat(templater.render("{{ pw is defined }}", vars, LOC)).isEqualTo(true);
    }

    @Test
    void textHoldingAKnownSecretValueIsASecretEvenWithoutReadingTheSecret() {
        // given a registered result whose stdout echoed the secret (the value is known to the run, not the object)
        Sink sink = new Sink();
        sink.derived(PW, SecretFlow.Form.LINES);
        Map<String, Object> v = Map.of("printed", Map.of("stdout", "got " + PW + "\n"));

        // when
        Object out = SecretFlow.into(sink, () -> templater.render("{{ printed.stdout | upper }}", v, LOC));

        // then
        assertThat(out).isInstanceOf(Secret.class);
        assertThat(sink.derived).contains("GOT " + PW.toUpperCase() + "\n");
    }

    @Test
    void aMapThatHoldsASecretKeepsItAsASecret() {
        // given
        Map<String, Object> v = Map.of("db", Map.of("host", "db.example", "password", Secret.of(PW)));

        // when
        Object out = templater.render("{{ db }}", v, LOC);

        // then the host stays text, the password stays a Secret
        assertThat(out).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("host", "db.example");
        assertThat(((Map<?, ?>) out).get("password")).isInstanceOf(Secret.class);
    }
}
