package io.budgetctl.modules.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.connection.Become;
import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.module.Result;
import io.budgetctl.engine.module.SimpleModuleContext;
import io.budgetctl.engine.ssh.SshConnectionFactory;
import io.budgetctl.engine.ssh.TestHostsExtension;
import io.budgetctl.engine.template.JinjavaTemplater;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user module against ansible-core 2.14's own, on the same simulated server (the test host with python3, over
 * SSH as deploy with sudo): the same steps for two accounts, one made by `ansible -m user`, one by ours, compared
 * step by step: changed or not, failed and its message, and what the server then says about the account (passwd
 * fields, groups, the shadow password field, the home directory's owner), with the account's name taken out.
 */
class UserParityIT {
    @RegisterExtension
    static final TestHostsExtension HOSTS = new TestHostsExtension(1, true);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String HASH = "$6$budgetctl$0dKBc0iwMUyPAMF2SpKYYpz6h0BHVbKYNt9dLt.6xJ9uXJvOgE6n4u5BlYYKoLkWlCFqDyhE8bAQ"
            + "rq1SmXaoN1";

    static SshConnectionFactory factory;
    static Connection ssh;

    @TempDir
    Path local;

    /** The hosts' factory and shared connection (opened and closed by the extension). */
    @BeforeAll
    static void connect() {
        factory = HOSTS.factory();
        ssh = HOSTS.ssh();
    }

    /** What one step did: changed, failed, the message of a failure, and the account as the server then has it. */
    record Step(boolean changed, boolean failed, String msg, String account) {
    }

    Step ansible(Map<String, Object> args) throws Exception {
        Map<String, Object> v = HOSTS.vars(0);
        List<String> argv = List.of("ansible", "all", "-i", "testhost-1,", "-b", "-m", "user", "-a",
                JSON.writeValueAsString(args), "-e", "ansible_host=127.0.0.1", "-e", "ansible_port=" + v.get("ansible_port"),
                "-e", "ansible_user=deploy", "-e", "ansible_ssh_private_key_file=" + v.get("ansible_ssh_private_key_file"),
                "-e", "ansible_ssh_common_args='" + v.get("ansible_ssh_common_args") + "'",
                "-e", "ansible_python_interpreter=/usr/bin/python3");
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        pb.environment().put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "false");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        int at = out.indexOf("=>");
        assertThat(at).as(out).isPositive();
        JsonNode r = JSON.readTree(out.substring(at + 2));
        boolean failed = out.contains("| FAILED!");
        return new Step(r.path("changed").asBoolean(), failed, failed ? r.path("msg").asText() : "",
                account(String.valueOf(args.get("name"))));
    }

    Step ours(Map<String, Object> args) throws Exception {
        SimpleModuleContext ctx = new SimpleModuleContext("testhost-1", ssh, false, false, Become.sudo("root"), null,
                Map.of(), new JinjavaTemplater(), null, List.of(local));
        Result r = new UserModule().run(ctx, new LinkedHashMap<>(args));
        boolean failed = r instanceof Result.Failed;
        return new Step(r instanceof Result.Changed, failed, failed ? r.msg() : "",
                account(String.valueOf(args.get("name"))));
    }

    /** passwd fields but the name and uid/gid, the groups, the shadow password field, the home's owner. */
    String account(String name) throws Exception {
        String s = HOSTS.onHost("sh", "-c", "n=" + name + "; "
                + "p=$(getent passwd $n) || { echo absent; ls -d /srv/itbm/$n 2>/dev/null; exit 0; }; "
                + "echo \"$p\" | cut -d: -f5-7; id -Gn $n | tr ' ' '\\n' | sort | tr '\\n' ' '; echo; "
                + "getent shadow $n | cut -d: -f2; stat -c %U \"$(echo \"$p\" | cut -d: -f6)\" 2>/dev/null; true");
        return s.replace(name, "NAME");
    }

    /** The same steps for ansible's account and ours; each step's outcome must be the same. Returns ansible's. */
    List<Step> compare(String label, List<Map<String, Object>> steps) throws Exception {
        String suffix = Long.toHexString(System.nanoTime()).substring(6);
        String theirs = "ua" + suffix;
        String mine = "uo" + suffix;
        for (String g : List.of("-a", "-b")) {
            HOSTS.onHost("groupadd", "pg" + suffix + g);
        }
        List<Step> seen = new ArrayList<>();
        for (Map<String, Object> step : steps) {
            Step a = ansible(named(step, theirs, suffix));
            Step o = ours(named(step, mine, suffix));
            assertThat(o).as("%s step %d %s", label, seen.size(), step).isEqualTo(a);
            seen.add(a);
        }
        return seen;
    }

    /** The step with NAME and GROUP placeholders filled in. */
    static Map<String, Object> named(Map<String, Object> step, String name, String suffix) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        step.forEach((k, v) -> m.put(k, fill(v, name, suffix)));
        return m;
    }

    static Object fill(Object v, String name, String suffix) {
        if (v instanceof String s) {
            return s.replace("NAME", name).replace("GROUP", "pg" + suffix);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(fill(x, name, suffix)));
            return out;
        }
        return v;
    }

    @Test
    void makeChangeLockAndRemoveAnAccountAsAnsiblesUserModuleDoes() throws Exception {
        List<Step> s = compare("lifecycle", List.of(
                Map.of("shell", "/bin/bash", "comment", "IT Budget Manager", "groups", List.of("GROUP-a"),
                        "home", "/srv/itbm/NAME", "password", HASH),
                Map.of("shell", "/bin/bash", "comment", "IT Budget Manager", "groups", List.of("GROUP-a"),
                        "home", "/srv/itbm/NAME", "password", HASH),
                Map.of("groups", List.of("GROUP-b"), "append", true, "shell", "/bin/sh"),
                Map.of("groups", "GROUP-b", "password_lock", true),
                Map.of("groups", "GROUP-b", "password_lock", true),
                Map.of("password_lock", false),
                Map.of("comment", "renamed", "update_password", "on_create", "password", "$6$other$x"),
                Map.of("state", "absent", "remove", true),
                Map.of("state", "absent")));
        // what was compared is what the steps meant (so equal is not equal-by-accident)
        assertThat(s).extracting(Step::changed).containsExactly(true, false, true, true, false, true, true, true,
                false);
        assertThat(s.get(0).account()).startsWith("IT Budget Manager:/srv/itbm/NAME:/bin/bash\n")
                .contains("\n" + HASH + "\nNAME");
        assertThat(s.get(3).account()).contains("\n!" + HASH + "\n");
        assertThat(s.get(7).account()).isEqualTo("absent\n");
    }

    @Test
    void aMissingGroupAndASystemAccountWithoutHome() throws Exception {
        List<Step> s = compare("system", List.of(
                Map.of("group", "GROUP-none"),
                Map.of("system", true, "create_home", false, "shell", "/usr/sbin/nologin"),
                Map.of("system", true, "create_home", false, "shell", "/usr/sbin/nologin"),
                Map.of("state", "absent")));
        assertThat(s.get(0).failed()).isTrue();
        assertThat(s.get(0).msg()).matches("Group pg[0-9a-f]+-none does not exist");
        assertThat(s.get(1).account()).startsWith(":/home/NAME:/usr/sbin/nologin\n");
    }
}
