package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.module.Result;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link Masking}: what of a secret can reach displayed output (events, console, JSON lines). Pinned: which secrets
 * among a task's variables count (nested ones yes, hostvars and vars no: those are other hosts' and copies), that a
 * secret not yet fetched is neither fetched nor shown, that short secrets are not searched for in text, that a value
 * containing another is masked whole, that a result is masked at any depth and in its base64 form while numbers and
 * booleans pass, that no_log replaces the result by Ansible's censored notice (keeping whether it changed and an until
 * loop's attempts), and that diffs are masked on both sides. A regression here prints a password; SecretLedgerTest
 * covers the ledger's derived forms.
 */
class MaskingTest {
    private static final String PW = "s3cret-pw";

    @Test
    void secretsAreFoundAtAnyDepthButNotInHostvarsOrVars() {
        // given
        Secret nested = Secret.of("nested-secret");
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("db", Map.of("users", List.of(Map.of("password", nested))));
        vars.put("top", Secret.of(PW));
        vars.put("hostvars", Map.of("other", Map.of("password", Secret.of("other-hosts-secret"))));
        vars.put("vars", Map.of("copy", Secret.of("a-copy-of-all-vars")));
        vars.put("plain", "not-a-secret");

        // when
        Set<String> values = Masking.secretsIn(vars);

        // then
        assertThat(values).contains("nested-secret", PW).doesNotContain("other-hosts-secret", "a-copy-of-all-vars",
                "not-a-secret");
    }

    @Test
    void aSecretNotYetFetchedIsCollectedButNeitherFetchedNorShown() {
        // given a secret whose key this run may not have
        AtomicInteger fetched = new AtomicInteger();
        Secret lazy = Secret.lazy(() -> {
            fetched.incrementAndGet();
            return "fetched-value";
        });

        // when
        List<Secret> found = Masking.secretObjectsIn(Map.of("ref", lazy));
        Set<String> values = Masking.values(found);
        String shown = Masking.display(lazy, Set.of(PW));

        // then (by identity: a Secret's equals reveals it)
        assertThat(fetched).hasValue(0);
        assertThat(found).hasSize(1).first().isSameAs(lazy);
        assertThat(values).isEmpty();
        assertThat(shown).isEqualTo(Secret.MASK);
    }

    @Test
    void aSecretShorterThanFourCharactersIsNotSearchedForInText() {
        // given
        Set<String> values = Masking.values(List.of(Secret.of("abc"), Secret.of("abcd")));

        // when
        String text = Masking.text("abc then abcd", values);

        // then
        assertThat(text).isEqualTo("abc then " + Secret.MASK);
    }

    @Test
    void aValueThatContainsAnotherIsMaskedWhole() {
        // given the shorter secret listed first
        Set<String> values = Masking.values(List.of(Secret.of(PW), Secret.of(PW + "-and-more")));

        // when
        String text = Masking.text("token " + PW + "-and-more, pw " + PW, values);

        // then
        assertThat(text).isEqualTo("token ********, pw ********");
    }

    @Test
    void aResultIsMaskedAtAnyDepthAndInItsBase64FormWhileOtherValuesPass() {
        // given a result as a module returns it
        String b64 = Base64.getEncoder().encodeToString(PW.getBytes(StandardCharsets.UTF_8));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("changed", true);
        result.put("rc", 0);
        result.put("stdout_lines", List.of("user=admin", "password=" + PW));
        result.put("content", b64);
        result.put("nested", Map.of("secret", Secret.of(PW), "key", "value"));
        Set<String> values = Masking.values(List.of(Secret.of(PW)));

        // when
        Map<String, Object> shown = Masking.mask(result, false, values);

        // then
        assertThat(shown).containsEntry("changed", true).containsEntry("rc", 0)
                .containsEntry("stdout_lines", List.of("user=admin", "password=********"))
                .containsEntry("content", Secret.MASK)
                .containsEntry("nested", Map.of("secret", Secret.MASK, "key", "value"));
        assertThat(result.get("stdout_lines")).isEqualTo(List.of("user=admin", "password=" + PW)); // a copy
    }

    @Test
    void noLogShowsAnsiblesCensoredNoticeAndWhetherItChanged() {
        // given
        Map<String, Object> result = Map.of("changed", true, "stdout", "anything", "msg", "anything");

        // when
        Map<String, Object> shown = Masking.mask(result, true, Set.of());

        // then
        assertThat(shown).containsEntry("censored", "the output has been hidden due to the fact that 'no_log: true' "
                + "was specified for this result").containsEntry("changed", true)
                .doesNotContainKeys("stdout", "msg");
    }

    @Test
    void noLogKeepsTheAttemptsAndRetriesOfAnUntilLoop() {
        // given the result of an until task that took two attempts, and an intermediate one that says retries
        Map<String, Object> result = Map.of("changed", true, "attempts", 2, "rc", 0, "stdout", "anything");
        Map<String, Object> retrying = Map.of("changed", false, "attempts", 1, "retries", 4, "rc", 1);

        // when
        Map<String, Object> shown = Masking.mask(result, true, Set.of());
        Map<String, Object> shownRetrying = Masking.mask(retrying, true, Set.of());

        // then as ansible-core 2.14.18 gives at -v: changed: [localhost] => {"attempts": 2, "censored": "the output
        // has been hidden due to the fact that 'no_log: true' was specified for this result", "changed": true}
        assertThat(shown).containsOnlyKeys("censored", "attempts", "changed").containsEntry("attempts", 2)
                .containsEntry("changed", true);
        assertThat(shownRetrying).containsOnlyKeys("censored", "attempts", "changed", "retries")
                .containsEntry("retries", 4);
    }

    @Test
    void aDiffIsMaskedOnBothSidesAndKeepsItsPath() {
        // given
        List<Result.Diff> diffs = List.of(new Result.Diff("/etc/app.conf", "password=old-" + PW + "\n",
                "password=" + PW + "\n"));

        // when
        List<Result.Diff> shown = Masking.diffs(diffs, Masking.values(List.of(Secret.of(PW))));

        // then
        assertThat(shown).containsExactly(new Result.Diff("/etc/app.conf", "password=old-********\n",
                "password=********\n"));
    }
}
