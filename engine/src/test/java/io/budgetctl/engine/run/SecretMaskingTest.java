package io.budgetctl.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.event.TaskEvent;
import io.budgetctl.engine.report.ConsoleListener;
import io.budgetctl.engine.report.JUnitListener;
import io.budgetctl.engine.report.JsonLinesListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets stay masked whatever a playbook does to them: a multi-line key with a trailing newline, a password and
 * another host's password, transformed by filters, slicing, concatenation and formatting, printed by the host, by
 * debug, stored by set_fact and register, used in task names; every event, the console at -vvv, JSON lines and JUnit
 * are searched for every form of every value.
 */
class SecretMaskingTest {
    @TempDir
    Path dir;

    private static final List<String> TRANSFORMS = List.of(
            "X", "X | upper", "X | lower", "X | b64encode", "X | hash('sha1')", "X | hash('sha256')", "X[2:]",
            "X | reverse", "X | list", "X | list | join(',')", "X | replace('a', 'A')", "X | urlencode",
            "'%s!' | format(X)", "'pre-' ~ X ~ '-post'", "X.upper()", "[X] | join(' ')", "X | string | trim");

    @Test
    void noFormOfAnySecretReachesAnyOutput() throws Exception {
        // given two hosts with random secrets: a PEM-style key from a YAML | block (it ends in a newline) and passwords
        SecureRandom random = new SecureRandom();
        String key = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + b64Line(random) + "\n" + b64Line(random) + "\n"
                + b64Line(random) + "\n-----END OPENSSH PRIVATE KEY-----\n";
        String pw = "pw@" + HexFormat.of().formatHex(bytes(random, 9)) + " /x";
        String other = "db-" + HexFormat.of().formatHex(bytes(random, 9));
        EngineHarness e = new EngineHarness(dir);
        e.inventory = new MapInventory()
                .host("web", "app", "pw", Secret.of(pw), "ssh_key", Secret.of(key))
                .host("db", "data", "db_password", Secret.of(other));
        StringBuilder tasks = new StringBuilder();
        tasks.append("""
                    - name: "deploy with {{ pw }} and {{ pw | upper }}"
                      shell: "true"
                    - name: the key lands on the host
                      shell: printf '%s' "{{ ssh_key }}" > @DIR@/key.pem
                    - name: the host prints it back
                      shell: cat @DIR@/key.pem; printf '%s' "{{ pw }}" | sha1sum; printf '%s' "{{ pw }}" | base64
                      register: catted
                    - debug: var=catted
                    - debug:
                        msg: "{{ catted.stdout_lines }}"
                    - name: another host's secret through hostvars
                      shell: echo "{{ hostvars['db'].db_password }}" > @DIR@/other.txt
                    - name: and printed by the host later
                      shell: cat @DIR@/other.txt; tr a-z A-Z < @DIR@/other.txt
                """);
        for (String var : List.of("pw", "ssh_key", "hostvars['db'].db_password")) {
            for (String t : TRANSFORMS) {
                String expr = t.replace("X", var.contains("[") ? "(" + var + ")" : var);
                // printf, not echo: dash's echo turns the \n of a printed list into a line break (a host-side change)
                tasks.append("    - shell: printf '%s\\n' \"{{ ").append(expr.replace("\"", "'")).append(" }}\"\n");
                tasks.append("    - debug:\n        msg: \"{{ ").append(expr).append(" }}\"\n");
                tasks.append("    - set_fact:\n        derived: \"{{ ").append(expr).append(" }}\"\n");
                tasks.append("    - debug: var=derived\n");
                tasks.append("    - name: \"named {{ ").append(expr).append(" }}\"\n      debug: msg=x\n");
            }
        }
        tasks.append("""
                    - name: a failing command that quotes a secret
                      shell: ls /nonexistent/{{ pw | b64encode }}
                      ignore_errors: true
                """);
        StringWriter console = new StringWriter();
        StringWriter json = new StringWriter();
        Path junit = dir.resolve("junit.xml");
        List<String> taskNames = new ArrayList<>();
        RunListener names = new RunListener() {
            @Override
            public void taskStart(TaskEvent task) {
                taskNames.add(task.name());
            }
        };

        // when
        Path p = e.write("site.yml", "- hosts: web\n  gather_facts: false\n  tasks:\n" + tasks);
        int code = Engine.run(RunRequest.of(p, null), List.of(e.rec, names,
                new ConsoleListener(new PrintWriter(console, true), false, 3, true), new JsonLinesListener(json),
                new JUnitListener(junit)), e.services());

        // then the host got the plaintext, and the run went through every task
        assertThat(code).isZero();
        assertThat(e.file("key.pem")).isEqualTo(key);
        assertThat(e.rec.results).hasSizeGreaterThan(TRANSFORMS.size() * 3 * 5);
        // and no form of any value is anywhere
        Map<String, String> needles = new LinkedHashMap<>();
        for (Map.Entry<String, String> s : Map.of("pw", pw, "key", key, "other", other).entrySet()) {
            needles.putAll(forms(s.getKey(), s.getValue()));
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("console -vvv", console.toString());
        outputs.put("json lines", json.toString());
        outputs.put("junit", Files.readString(junit));
        outputs.put("task names", String.join("\n", taskNames));
        outputs.put("events", e.rec.results.stream().map(SecretMaskingTest::event).collect(Collectors.joining("\n")));
        List<String> leaks = new ArrayList<>();
        outputs.forEach((where, text) -> needles.forEach((form, needle) -> {
            int at = text.indexOf(needle);
            if (at >= 0) {
                leaks.add(form + " in " + where + ": ..." + text.substring(Math.max(0, at - 60),
                        Math.min(text.length(), at + needle.length() + 20)) + "...");
            }
        }));
        assertThat(leaks).isEmpty();
        // and the output did show the tasks, masked rather than missing
        assertThat(console.toString()).contains("TASK [deploy with ******** and ********]")
                .contains("TASK [named ********]").contains("\"derived\": \"********\"");
    }

    @Test
    void theSearchFindsAFormWhereItIs() throws Exception {
        // given a value and the text a host would print for `cat key | tr a-z A-Z` and `sha1sum`
        String key = "-----BEGIN KEY-----\nAbCdEfGhIjKlMnOp\n-----END KEY-----\n";
        Map<String, String> needles = forms("key", key);

        // when / then: the needles this test uses do match those forms, so an empty result above means something
        assertThat(needles.values()).contains(key.toUpperCase(Locale.ROOT).strip(), "AbCdEfGhIjKlMnOp",
                sha("SHA-1", key.strip()));
    }

    private static String event(HostResultEvent r) {
        return r.host() + " " + r.item() + " " + r.msg() + " " + r.data() + " " + r.diffs();
    }

    /** Every form the leak search looks for (only parts that are secret: not the PEM header lines). */
    static Map<String, String> forms(String name, String v) {
        Map<String, String> out = new LinkedHashMap<>();
        String t = v.strip();
        out.put(name, t);
        out.put(name + " upper", t.toUpperCase(Locale.ROOT));
        out.put(name + " lower", t.toLowerCase(Locale.ROOT));
        out.put(name + " reversed", new StringBuilder(t).reverse().toString());
        out.put(name + " base64", b64(t));
        out.put(name + " base64 of the raw value", b64(v));
        out.put(name + " sha1", sha("SHA-1", t));
        out.put(name + " sha1 of the raw value", sha("SHA-1", v));
        out.put(name + " sha256", sha("SHA-256", t));
        out.put(name + " urlencoded", URLEncoder.encode(t, StandardCharsets.UTF_8));
        out.put(name + " slice", t.substring(2));
        out.put(name + " as a list", t.chars().limit(6).mapToObj(c -> String.valueOf((char) c))
                .collect(Collectors.joining("', '")));
        out.put(name + " as a JSON list", t.chars().limit(6).mapToObj(c -> String.valueOf((char) c))
                .collect(Collectors.joining("\", \"")));
        out.put(name + " joined", t.chars().limit(6).mapToObj(c -> String.valueOf((char) c))
                .collect(Collectors.joining(",")));
        int i = 0;
        for (String line : t.split("\n")) {
            if (!line.startsWith("-----")) {
                out.put(name + " line " + i++, line);
            }
        }
        return out;
    }

    private static String b64Line(SecureRandom random) {
        return Base64.getEncoder().encodeToString(bytes(random, 48));
    }

    private static byte[] bytes(SecureRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha(String alg, String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
