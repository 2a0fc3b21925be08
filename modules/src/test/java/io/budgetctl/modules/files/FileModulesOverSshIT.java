package io.budgetctl.modules.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.connection.Become;
import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.connection.RoundTrips;
import io.budgetctl.engine.connection.ShellConnection;
import io.budgetctl.engine.module.Module;
import io.budgetctl.engine.module.Result;
import io.budgetctl.engine.module.SimpleModuleContext;
import io.budgetctl.engine.ssh.SshConnectionFactory;
import io.budgetctl.engine.ssh.TestHostsExtension;
import io.budgetctl.engine.template.JinjavaTemplater;
import io.budgetctl.modules.system.CronModule;
import io.budgetctl.modules.system.UserModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file modules over a real sshd (test host, no Python): what a task costs in round trips, commands and SFTP
 * requests, first run and second run, as the login user and with become (sudo to root). Each command is a session
 * channel and a process on the host; these numbers are the ones docs/performance.md explains.
 */
class FileModulesOverSshIT {
    @RegisterExtension
    static final TestHostsExtension HOSTS = new TestHostsExtension(1);

    static SshConnectionFactory factory;
    static Connection ssh;

    @TempDir
    Path local;

    private final String dir = "/home/deploy/rt-" + UUID.randomUUID();

    /** The hosts' factory and shared connection (opened and closed by the extension). */
    @BeforeAll
    static void connect() {
        factory = HOSTS.factory();
        ssh = HOSTS.ssh();
    }

    private record Counted(Result result, RoundTrips.Counts trips) {
    }

    private Counted runAs(Module module, Become become, boolean check, boolean diff, Map<String, Object> vars,
                        Object... kv) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            args.put((String) kv[i], kv[i + 1]);
        }
        SimpleModuleContext ctx = new SimpleModuleContext("testhost-1", ssh, check, diff, become, null, vars,
                new JinjavaTemplater(), null, List.of(local));
        RoundTrips rt = ((ShellConnection) ssh).roundTrips();
        RoundTrips.Counts before = rt.snapshot();
        Result r = module.run(ctx, args);
        return new Counted(r, rt.snapshot().minus(before));
    }

    private Counted run(Module module, Object... kv) {
        return runAs(module, Become.NONE, false, false, Map.of(), kv);
    }

    private String onHost(String... argv) throws Exception {
        return HOSTS.onHost(argv);
    }

    @Test
    void aDeployTaskListCostsOneCommandPerTaskWhenNothingChanges() throws Exception {
        // given
        Files.createDirectories(local.resolve("templates"));
        Files.writeString(local.resolve("templates/app.conf.j2"), "app={{ app }}\n");
        Map<String, Object> vars = Map.of("app", "itbm");
        List<Object[]> tasks = List.of(
                new Object[] {new FileModule(), "path", dir + "/etc", "state", "directory", "mode", "0750"},
                new Object[] {new CopyModule(), "content", "A=1\n", "dest", dir + "/etc/app.env", "mode", "0600"},
                new Object[] {new TemplateModule(), "src", "app.conf.j2", "dest", dir + "/etc/app.conf"},
                new Object[] {new LineinfileModule(), "path", dir + "/etc/settings", "line", "B=2", "create", true},
                new Object[] {new FileModule(), "src", dir + "/etc", "dest", dir + "/current", "state", "link"});
        // when
        List<Counted> cold = tasks.stream().map(t -> runAs((Module) t[0], Become.NONE, false, false, vars,
                java.util.Arrays.copyOfRange(t, 1, t.length))).toList();
        List<Counted> warm = tasks.stream().map(t -> runAs((Module) t[0], Become.NONE, false, false, vars,
                java.util.Arrays.copyOfRange(t, 1, t.length))).toList();
        // then
        assertThat(cold).allSatisfy(c -> assertThat(c.result()).isInstanceOf(Result.Changed.class));
        assertThat(List.of(cold.get(0), cold.get(1), cold.get(2), cold.get(4))).allSatisfy(c -> assertThat(c.trips())
                .as("directory, copy, template, link: the change rides on the probe")
                .isEqualTo(new RoundTrips.Counts(1, 0)));
        assertThat(cold.get(3).trips()).as("lineinfile: probe with content, then upload + rename, no SFTP")
                .isEqualTo(new RoundTrips.Counts(2, 0));
        assertThat(warm).allSatisfy(c -> {
            assertThat(c.result()).isInstanceOf(Result.Ok.class);
            assertThat(c.trips()).as("probe only").isEqualTo(new RoundTrips.Counts(1, 0));
        });
        assertThat(onHost("cat", dir + "/etc/app.env", dir + "/etc/settings")).isEqualTo("A=1\nB=2\n");
        assertThat(onHost("stat", "-c", "%a %U", dir + "/etc/app.env", dir + "/etc"))
                .isEqualTo("600 deploy\n750 deploy\n");
        assertThat(onHost("readlink", dir + "/current")).isEqualTo(dir + "/etc\n");
    }

    @Test
    void withBecomeProbeUploadAndRenameAreOneSudoCommand() throws Exception {
        // given
        String root = "/etc/budgetctl-rt-" + UUID.randomUUID();
        Become sudo = Become.sudo("root");
        runAs(new FileModule(), sudo, false, false, Map.of(), "path", root, "state", "directory", "mode", "0700");
        Object[] task = {"content", "secret=1\n", "dest", root + "/app.env", "mode", "0600", "owner", "root"};
        // when
        Counted cold = runAs(new CopyModule(), sudo, false, false, Map.of(), task);
        Counted warm = runAs(new CopyModule(), sudo, false, false, Map.of(), task);
        // then
        assertThat(cold.result()).isInstanceOf(Result.Changed.class);
        assertThat(cold.trips()).isEqualTo(new RoundTrips.Counts(1, 0));
        assertThat(warm.result()).isInstanceOf(Result.Ok.class);
        assertThat(warm.trips()).isEqualTo(new RoundTrips.Counts(1, 0));
        assertThat(onHost("stat", "-c", "%a %U", root, root + "/app.env")).isEqualTo("700 root\n600 root\n");
        assertThat(onHost("cat", root + "/app.env")).isEqualTo("secret=1\n");
        onHost("rm", "-rf", root);
    }

    @Test
    void checkModeWithDiffReadsTheOldContentInTheSameProbe() throws Exception {
        // given
        run(new FileModule(), "path", dir, "state", "directory");
        run(new CopyModule(), "content", "old\n", "dest", dir + "/f");
        // when
        Counted check = runAs(new CopyModule(), Become.NONE, true, true, Map.of(), "content", "new\n", "dest",
                dir + "/f");
        // then
        assertThat(check.result()).isInstanceOf(Result.Changed.class);
        assertThat(check.result().diffs()).singleElement().satisfies(d -> {
            assertThat(d.before()).isEqualTo("old\n");
            assertThat(d.after()).isEqualTo("new\n");
        });
        assertThat(check.trips()).isEqualTo(new RoundTrips.Counts(1, 0));
        assertThat(onHost("cat", dir + "/f")).isEqualTo("old\n");
    }

    @Test
    void readingOverSftpIsCountedPerRequest() {
        // given
        run(new FileModule(), "path", dir, "state", "directory");
        run(new CopyModule(), "content", "x\n", "dest", dir + "/x");
        RoundTrips rt = ((ShellConnection) ssh).roundTrips();
        RoundTrips.Counts before = rt.snapshot();
        // when
        byte[] read = ssh.read(dir + "/x", Become.NONE).orElseThrow();
        // then: open, fstat, the read-ahead's reads (bounded by the length: 36 requests without it), close
        assertThat(new String(read)).isEqualTo("x\n");
        assertThat(rt.snapshot().minus(before)).isEqualTo(new RoundTrips.Counts(0, 5));
    }
    @Test
    void cronWritesTheLoginUsersCrontabAnotherUsersWithBecomeAndTakesAJobAway() throws Exception {
        // the login user's own crontab: crontab -l / crontab - without -u
        Counted first = run(new CronModule(), "name", "itbm-backup", "minute", "15", "hour", "2", "job",
                "/usr/bin/true backup");
        assertThat(first.result()).isInstanceOf(Result.Changed.class);
        assertThat(first.result().data().get("jobs")).isEqualTo(List.of("itbm-backup"));
        assertThat(onHost("crontab", "-u", "deploy", "-l"))
                .isEqualTo("#Ansible: itbm-backup\n15 2 * * * /usr/bin/true backup\n");
        assertThat(run(new CronModule(), "name", "itbm-backup", "minute", "15", "hour", "2", "job",
                "/usr/bin/true backup").result()).isInstanceOf(Result.Ok.class);

        // another user's, through sudo: crontab -u deploypw; and root's own (no -u) with a variable
        Become sudo = Become.sudo("root");
        assertThat(runAs(new CronModule(), sudo, false, false, Map.of(), "name", "rotate", "special_time", "daily",
                "user", "deploypw", "job", "/usr/bin/true rotate").result()).isInstanceOf(Result.Changed.class);
        assertThat(onHost("crontab", "-u", "deploypw", "-l")).isEqualTo("#Ansible: rotate\n@daily /usr/bin/true rotate\n");
        assertThat(runAs(new CronModule(), sudo, false, false, Map.of(), "name", "MAILTO", "env", true, "user",
                "root", "job", "ops@itbm-vendor.example").result()).isInstanceOf(Result.Changed.class);
        assertThat(onHost("crontab", "-u", "root", "-l")).isEqualTo("MAILTO=\"ops@itbm-vendor.example\"\n");
        // check mode with diff says what would change and changes nothing
        Counted check = runAs(new CronModule(), sudo, true, true, Map.of(), "name", "rotate", "user", "deploypw",
                "state", "absent");
        assertThat(check.result()).isInstanceOf(Result.Changed.class);
        assertThat(check.result().diffs()).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo("crontab for user \"deploypw\"");
            assertThat(d.after()).isEmpty();
        });
        assertThat(onHost("crontab", "-u", "deploypw", "-l")).contains("@daily /usr/bin/true rotate");

        // the job taken away: the crontab stays, empty
        assertThat(runAs(new CronModule(), sudo, false, false, Map.of(), "name", "rotate", "user", "deploypw",
                "state", "absent").result()).isInstanceOf(Result.Changed.class);
        assertThat(onHost("crontab", "-u", "deploypw", "-l")).isEmpty();
        onHost("crontab", "-u", "deploy", "-r");
        onHost("crontab", "-u", "root", "-r");
    }
    @Test
    void userMakesChangesLocksAndRemovesAnAccountAsUseraddUsermodUserdelDo() throws Exception {
        // given: two groups, a name of our own
        String u = "svc" + UUID.randomUUID().toString().substring(0, 6);
        String g1 = u + "-a";
        String g2 = u + "-b";
        onHost("groupadd", g1);
        onHost("groupadd", g2);
        Become sudo = Become.sudo("root");
        String hash = "$6$budgetctl$0dKBc0iwMUyPAMF2SpKYYpz6h0BHVbKYNt9dLt.6xJ9uXJvOgE6n4u5BlYYKoLkWlCFqDyhE8bAQrq1SmXaoN1";

        // when: made with a uid, shell, comment, home under a missing parent, a group and a password hash
        Counted made = runAs(new UserModule(), sudo, false, false, Map.of(), "name", u, "uid", 2345, "shell",
                "/bin/bash", "comment", "IT Budget Manager", "groups", List.of(g1), "home", "/srv/itbm/" + u,
                "password", hash);
        // then
        assertThat(made.result()).as(String.valueOf(made.result().data())).isInstanceOf(Result.Changed.class);
        assertThat(made.result().data()).containsEntry("uid", 2345).containsEntry("home", "/srv/itbm/" + u)
                .containsEntry("shell", "/bin/bash").containsEntry("groups", g1)
                .containsEntry("password", "NOT_LOGGING_PASSWORD");
        assertThat(made.result().data().values().toString()).doesNotContain(hash);
        assertThat(onHost("getent", "passwd", u)).startsWith(u + ":x:2345:")
                .contains(":IT Budget Manager:/srv/itbm/" + u + ":/bin/bash");
        assertThat(onHost("id", "-Gn", u)).contains(g1);
        assertThat(onHost("stat", "-c", "%U", "/srv/itbm/" + u).strip()).isEqualTo(u);
        assertThat(onHost("getent", "shadow", u)).contains(hash);
        // the same again: nothing to do
        assertThat(runAs(new UserModule(), sudo, false, false, Map.of(), "name", u, "uid", 2345, "shell",
                "/bin/bash", "comment", "IT Budget Manager", "groups", List.of(g1), "home", "/srv/itbm/" + u,
                "password", hash).result()).isInstanceOf(Result.Ok.class);

        // check mode predicts a change and makes none
        assertThat(runAs(new UserModule(), sudo, true, false, Map.of(), "name", u, "shell", "/bin/sh").result())
                .isInstanceOf(Result.Changed.class);
        assertThat(onHost("getent", "passwd", u)).endsWith(":/bin/bash\n");
        // append a group, then set the list (the first group goes), lock the password
        assertThat(runAs(new UserModule(), sudo, false, false, Map.of(), "name", u, "groups", List.of(g2), "append",
                true, "shell", "/bin/sh").result()).isInstanceOf(Result.Changed.class);
        assertThat(onHost("id", "-Gn", u)).contains(g1).contains(g2);
        assertThat(onHost("getent", "passwd", u)).endsWith(":/bin/sh\n");
        assertThat(runAs(new UserModule(), sudo, false, false, Map.of(), "name", u, "groups", g2, "password_lock",
                true).result()).isInstanceOf(Result.Changed.class);
        assertThat(onHost("id", "-Gn", u)).doesNotContain(g1).contains(g2);
        assertThat(onHost("getent", "shadow", u)).contains(":!" + hash);
        assertThat(runAs(new UserModule(), sudo, false, false, Map.of(), "name", u, "groups", g2, "password_lock",
                true).result()).isInstanceOf(Result.Ok.class);
        // a group that does not exist
        Result missing = runAs(new UserModule(), sudo, false, false, Map.of(), "name", u, "group", u + "-none")
                .result();
        assertThat(missing).isInstanceOf(Result.Failed.class);
        assertThat(missing.msg()).isEqualTo("Group " + u + "-none does not exist");

        // removed with its home
        assertThat(runAs(new UserModule(), sudo, false, false, Map.of(), "name", u, "state", "absent", "remove",
                true).result()).isInstanceOf(Result.Changed.class);
        assertThat(onHost("sh", "-c", "getent passwd " + u + " || echo gone")).isEqualTo("gone\n");
        assertThat(onHost("sh", "-c", "test -e /srv/itbm/" + u + " || echo gone")).isEqualTo("gone\n");
        assertThat(runAs(new UserModule(), sudo, false, false, Map.of(), "name", u, "state", "absent").result())
                .isInstanceOf(Result.Ok.class);
    }
}
