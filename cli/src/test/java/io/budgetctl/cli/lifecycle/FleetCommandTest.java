package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.cli.Main;
import io.budgetctl.lifecycle.fleet.Journal;
import io.budgetctl.lifecycle.fleet.JournalEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * budgetctl fleet over the example deployments repository: plan (no host touched), and apply/status/resume over a
 * copy whose two demo customers point at a closed port on this machine, so each real single-customer deploy fails
 * fast as unreachable.
 */
class FleetCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void operator() {
        // Ivan is an engineer: deploy is allowed in demo (the example access.yaml); he holds the example
        // repository's demo age key, which decrypts the demo customers' ssh.key (resolved before any host is contacted)
        LifecycleCommand.environment = Map.of("BUDGETCTL_OPERATOR", "ivan@itbm-vendor.example",
                "BUDGETCTL_AUDIT_LOG", tmp.resolve("audit.log").toString(), "HOME", tmp.toString(),
                "BUDGETCTL_HOME", LifecycleRolesIT.repo().toString(), "SOPS_AGE_KEY_FILE",
                LifecycleRolesIT.repo().resolve("inventory/.demo-age-key.txt").toString());
    }

    @AfterEach
    void environmentBack() {
        LifecycleCommand.environment = null;
    }

    private int budgetctl(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private Path repoWithUnreachableDemoServer() throws IOException {
        return repoWithUnreachableDemoServer(tmp);
    }

    /**
     * A copy (in {@code dir}) of the example repository whose shared demo server is 127.0.0.1 (nothing listens on
     * port 22 there): the demo customers' real deploys fail fast as unreachable.
     */
    static Path repoWithUnreachableDemoServer(Path dir) throws IOException {
        Path src = LifecycleAccessTest.inventory();
        Path dst = dir.resolve("inventory");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.writeString(t, Files.readString(p).replace("address: demo.itbm.example",
                            "address: 127.0.0.1"));
                }
            }
        }
        return dst;
    }

    @Test
    void givenProductionByRing_whenPlanned_thenWavesAndWindowsArePrintedAndNoHostIsNeeded() {
        // when
        int code = budgetctl("fleet", "plan", "--environment", "production", "--waves-by", "ring", "--repo",
                LifecycleAccessTest.inventory().toString());

        // then
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("fleet plan: --environment production: 3 customer(s) in 2 wave(s)",
                "wave 1 (ring=1): 2 customer(s)", "wave 2 (ring=2): 1 customer(s)")
                .containsPattern("acme +production +v1\\.4\\.0 +203\\.0\\.113\\.10:22; window sat,sun 01:00-05:00 UTC");
    }

    @Test
    void givenEveryone_whenPlanned_thenCustomersSharingAServerAreNamed() {
        assertThat(budgetctl("fleet", "plan", "--all", "--repo", LifecycleAccessTest.inventory().toString())).isZero();
        assertThat(out.toString()).contains("shared server demo.itbm.example:22: epsilon, zeta (one at a time)");
    }

    @Test
    void givenNoSelection_whenPlanned_thenOneErrorLineWithAHintAndNoStackTrace() {
        // when
        int code = budgetctl("fleet", "plan", "--repo", LifecycleAccessTest.inventory().toString());

        // then
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("ERROR! ").contains("no customers selected")
                .contains("hint: say which: --clients a,b").doesNotContain("\tat ");
    }

    @Test
    void givenBadWaveSizes_whenPlanned_thenItIsABadCommandLine() {
        assertThat(budgetctl("fleet", "plan", "--all", "--waves", "1,rest,2", "--repo",
                LifecycleAccessTest.inventory().toString())).isEqualTo(5);
        assertThat(err.toString()).contains("--waves: bad wave size 'rest' in '1,rest,2'");
    }

    @Test
    void givenTwoCustomersWhoseServerIsDown_whenApplied_thenTheBudgetStopsTheRunAndResumeContinuesIt()
            throws IOException {
        // given
        Path repo = repoWithUnreachableDemoServer();
        Path state = tmp.resolve("state");
        Path junit = tmp.resolve("fleet.xml");

        // when
        int code = budgetctl("fleet", "apply", "--clients", "epsilon,zeta", "--repo", repo.toString(),
                "--state-dir", state.toString(), "--junit", junit.toString());

        // then: epsilon's real deploy failed (its server does not answer), zeta never started
        assertThat(code).as(out + "\n" + err).isEqualTo(7);
        String run;
        try (Stream<Path> s = Files.list(state)) {
            run = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsonl")).findFirst().orElseThrow()
                    .replace(".jsonl", "");
        }
        Path log = state.resolve(run).resolve("epsilon.log");
        assertThat(log).exists();
        assertThat(Files.readString(log)).contains("=== budgetctl deploy --client epsilon --repo " + repo);
        assertThat(out.toString()).contains("epsilon running", "FAILURE BUDGET EXCEEDED",
                "NEVER STARTED (failure budget exceeded): zeta", "FAILED epsilon (wave 1): ", "[log " + log + "]");
        List<JournalEvent> journal = Journal.read(Journal.path(state, run)).events();
        assertThat(journal).filteredOn(e -> "epsilon".equals(e.customer()) && "failed".equals(e.state()))
                .singleElement().satisfies(e -> assertThat(e.reason()).startsWith("unreachable: ").doesNotContain("\n"));
        assertThat(Files.readString(junit)).contains("<testcase classname=\"fleet.wave1\" name=\"epsilon\"",
                "<failure message=", "<skipped message=\"skipped: never started");

        // and when: status shows the run, resume with a larger budget runs only zeta
        out.getBuffer().setLength(0);
        assertThat(budgetctl("fleet", "status", run, "--state-dir", state.toString())).isZero();
        assertThat(out.toString()).contains("fleet run " + run + ": ended").containsPattern("epsilon +wave 1 +failed");
        out.getBuffer().setLength(0);
        int resumed = budgetctl("fleet", "resume", run, "--max-failures", "5", "--state-dir", state.toString());

        // then
        assertThat(resumed).as(out + "\n" + err).isEqualTo(2);
        assertThat(out.toString()).contains("resumed by ivan@itbm-vendor.example", "zeta running")
                .doesNotContain("epsilon running");
        assertThat(state.resolve(run).resolve("zeta.log")).exists();
    }

    @Test
    void givenLive_whenApplied_thenTheTableIsRedrawnInPlaceAndTheSummaryFollowsIt() throws IOException {
        // given
        Path repo = repoWithUnreachableDemoServer();

        // when: --live as on a terminal (a test has none)
        int code = budgetctl("fleet", "apply", "--clients", "epsilon,zeta", "--repo", repo.toString(),
                "--state-dir", tmp.resolve("state").toString(), "--max-failures", "5", "--live");

        // then: both customers' rows, redrawn over the previous table, then the same summary as without the table
        assertThat(code).as(out + "\n" + err).isEqualTo(2);
        String screen = out.toString();
        assertThat(screen).contains("\u001B[J").containsPattern("CUSTOMER +WAVE +STATE +STEP +ELAPSED +RESULT")
                .containsPattern("epsilon +1 +FAILED +[0-9]+:[0-9]{2} +unreachable: ")
                .containsPattern("zeta +1 +FAILED").contains("FLEET SUMMARY").doesNotContain("epsilon running");
        assertThat(screen.indexOf("FLEET SUMMARY")).isGreaterThan(screen.lastIndexOf("\u001B[J"));
    }

    @Test
    void givenAReservedExtraVar_whenApplied_thenItIsABadCommandLineAndNoJournalIsWritten() {
        // given
        Path state = tmp.resolve("state");

        // when
        int code = budgetctl("fleet", "apply", "--clients", "epsilon", "--repo",
                LifecycleAccessTest.inventory().toString(), "--state-dir", state.toString(),
                "-e", "ansible_host=evil.example", "-e", "{\"become_user\": \"x\", \"feature\": 1}");

        // then
        assertThat(code).as(out + "\n" + err).isEqualTo(5);
        assertThat(err.toString()).contains("--extra-vars: may not set ansible_host, become_user: reserved variables")
                .doesNotContain("\tat ");
        assertThat(state).doesNotExist();
    }

    @Test
    void givenExtraVarsAndAnEnvironmentParallel_whenAppliedAndResumed_thenEveryDeployGetsThemAndTheRunIsParallel() throws IOException {
        // given: the demo environment asks for 3 at a time
        Path repo = repoWithUnreachableDemoServer();
        Path demo = repo.resolve("environments/demo.yaml");
        Files.writeString(demo, Files.readString(demo).replace("defaults:", "fleet:\n  parallel: 3\ndefaults:"));
        Path state = tmp.resolve("state");

        // when
        int code = budgetctl("fleet", "apply", "--clients", "epsilon,zeta", "--repo", repo.toString(),
                "--state-dir", state.toString(), "-e", "feature_flag=on");

        // then
        assertThat(code).as(out + "\n" + err).isEqualTo(7);
        String run;
        try (Stream<Path> s = Files.list(state)) {
            run = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsonl")).findFirst().orElseThrow()
                    .replace(".jsonl", "");
        }
        assertThat(Files.readString(state.resolve(run).resolve("epsilon.log")))
                .contains("=== budgetctl deploy --client epsilon --repo " + repo + " -e feature_flag=on");
        assertThat(Files.readString(Journal.path(state, run))).doesNotContain("feature_flag");
        assertThat(Journal.read(Journal.path(state, run)).events().get(0).options()).containsEntry("parallel", 3);

        // and when: resume is checked the same way, and passes its own -e on
        assertThat(budgetctl("fleet", "resume", run, "--state-dir", state.toString(), "-e", "client=other"))
                .isEqualTo(5);
        assertThat(budgetctl("fleet", "resume", run, "--max-failures", "5", "--state-dir", state.toString(),
                "-e", "feature_flag=off")).isEqualTo(2);
        assertThat(Files.readString(state.resolve(run).resolve("zeta.log")))
                .contains("=== budgetctl deploy --client zeta --repo " + repo + " -e feature_flag=off");
        // and the audit lines of every fleet deploy form one intact hash chain
        out.getBuffer().setLength(0);
        assertThat(budgetctl("audit", "verify")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("ok: " + tmp.resolve("audit.log") + ": ");
    }

    @Test
    void givenARunningRun_whenCancelled_thenTheRequestIsWrittenAndStatusShowsIt() {
        // given: a run whose journal this JVM holds, as a live controller does
        Path state = tmp.resolve("state");
        String run = "20261205T030000Z-0a1b";
        try (Journal ignored = Journal.create(state, run)) {
            // when
            int code = budgetctl("fleet", "cancel", run, "--reason", "wrong\nversion", "--state-dir", state.toString());

            // then
            assertThat(code).as(out + "\n" + err).isZero();
            assertThat(out.toString()).contains("fleet run " + run + ": cancel requested by ivan@itbm-vendor.example at ",
                    ": wrong version; running deploys finish");
            assertThat(Journal.cancelPath(state, run)).exists();
            out.getBuffer().setLength(0);
            assertThat(budgetctl("fleet", "status", run, "--state-dir", state.toString())).isZero();
            assertThat(out.toString()).contains("RUNNING now, CANCEL requested by ivan@itbm-vendor.example at ");
        }

        // and when: the controller is gone, there is nothing to cancel
        err.getBuffer().setLength(0);
        assertThat(budgetctl("fleet", "cancel", run, "--state-dir", state.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("fleet run '" + run + "' is not running").doesNotContain("\tat ");
        // and a run id that is not one never names a file
        err.getBuffer().setLength(0);
        assertThat(budgetctl("fleet", "cancel", "../../etc/x", "--state-dir", state.toString())).isEqualTo(5);
        assertThat(err.toString()).contains("RUN-ID: '../../etc/x' is not a fleet run id");
    }

    @Test
    void givenCustomersWhoseServerIsDown_whenLiveStatusIsAsked_thenEachIsUnreachableAndTheExitCodeIsThree()
            throws IOException {
        // given
        Path repo = repoWithUnreachableDemoServer();

        // when: a selection makes status live (the single-customer status of each, in parallel)
        int code = budgetctl("fleet", "status", "--clients", "epsilon,zeta", "--repo", repo.toString(), "--json");

        // then
        assertThat(code).as(out + "\n" + err).isEqualTo(3);
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("{\"customer\":\"epsilon\",\"state\":\"unreachable\"")
                .contains("\"status_exit\":4");
        assertThat(lines.get(1)).startsWith("{\"customer\":\"zeta\",\"state\":\"unreachable\"");

        // and: a run id with a selection is a bad command line
        assertThat(budgetctl("fleet", "status", "20261205T030000Z-0a1b", "--all", "--repo", repo.toString()))
                .isEqualTo(5);
        assertThat(err.toString()).contains("RUN-ID and a selection cannot be used together");
    }

    @Test
    void givenExtraVars_whenLiveStatusIsAsked_thenEachCustomersStatusGetsThemAndReservedOnesAreRefused()
            throws IOException {
        // given: a key file that does not exist, so each status says which key it was given; the customers go
        // without ssh.key here, because a client file's key is the only key used for its customer (docs/ssh.md)
        Path repo = repoWithUnreachableDemoServer();
        for (String c : List.of("epsilon", "zeta")) {
            Path file = repo.resolve("clients/" + c + ".yaml");
            Files.writeString(file, Files.readString(file).replace("  key: sops:secrets/demo.sops.yaml#ssh_key\n",
                    ""));
            assertThat(Files.readString(file)).doesNotContain("ssh_key");
        }
        Path key = tmp.resolve("no-such-key");

        // when
        int code = budgetctl("fleet", "status", "--clients", "epsilon,zeta", "--repo", repo.toString(), "--json",
                "-e", "ansible_ssh_private_key_file=" + key);

        // then: both rows name the key the fleet status was given
        assertThat(code).as(out + "\n" + err).isEqualTo(3);
        assertThat(out.toString().lines().toList()).hasSize(2)
                .allSatisfy(l -> assertThat(l).contains(key.toString()));

        // and: a reserved variable is a bad command line before any host is contacted
        out.getBuffer().setLength(0);
        assertThat(budgetctl("fleet", "status", "--clients", "epsilon", "--repo", repo.toString(),
                "-e", "ansible_host=evil.example")).isEqualTo(5);
        assertThat(err.toString()).contains("--extra-vars: may not set ansible_host: reserved variables")
                .doesNotContain("\tat ");
        assertThat(out.toString()).isEmpty();
        // and: the journal view contacts no host, so -e there is a mistake
        assertThat(budgetctl("fleet", "status", "--state-dir", tmp.resolve("state").toString(), "-e", "x=1"))
                .isEqualTo(5);
        assertThat(err.toString()).contains("-e/--extra-vars: only with a selection");
    }

    @Test
    void givenStatusDocuments_whenReducedToRows_thenHealthVersionLockAndLastActionAreTheHosts() {
        // given: what 'status -o json' prints for one healthy host with a held lock
        String doc = "{\"version\":{\"version\":\"v1.4.0\"},\"lock\":{\"holder\":\"olga\",\"acquired_utc\":\"T1\"},"
                + "\"last_audit\":{\"action\":\"deploy\",\"from\":\"v1.3.2\",\"to\":\"v1.4.0\",\"who\":\"olga\","
                + "\"at\":\"T0\",\"result\":\"ok\"},\"services\":["
                + Stream.of("backend", "worker", "scheduler", "frontend", "ingress")
                .map(n -> "{\"service\":\"" + n + "\",\"state\":\"running\",\"health\":\"healthy\"}")
                .collect(java.util.stream.Collectors.joining(",")) + "]}";

        // when
        FleetLiveStatus.Row ok = FleetLiveStatus.row("acme", 0, doc, "");
        FleetLiveStatus.Row twoHosts = FleetLiveStatus.row("beta", 3, "{\"h1\":" + doc + ",\"h2\":"
                + doc.replace("\"state\":\"running\",\"health\":\"healthy\"}]", "\"state\":\"exited\"}]") + "}", "");
        FleetLiveStatus.Row down = FleetLiveStatus.row("zeta", 4, "", "fatal: [zeta]: UNREACHABLE! => {}\n");
        FleetLiveStatus.Row fresh = FleetLiveStatus.row("new", 3,
                "{\"services\":[],\"version\":null,\"current\":\"\",\"release\":null,\"lock\":null}", "");
        FleetLiveStatus.Row stopped = FleetLiveStatus.row("old", 3, "{\"services\":[{\"service\":\"backend\","
                + "\"state\":\"exited\"}],\"version\":null,\"current\":\"v1.4.0-20261201T000000Z\","
                + "\"release\":{\"version\":\"v1.4.0\"},\"lock\":null}", "");

        // then
        assertThat(ok.state()).isEqualTo("healthy");
        assertThat(ok.version()).isEqualTo("v1.4.0");
        assertThat(ok.lock()).isEqualTo("held by olga since T1");
        assertThat(ok.lastAction()).isEqualTo("deploy v1.3.2 -> v1.4.0 by olga at T0: ok");
        assertThat(twoHosts.state()).isEqualTo("unhealthy");
        assertThat(down.state()).isEqualTo("unreachable");
        assertThat(down.detail()).isEqualTo("fatal: [zeta]: UNREACHABLE! => {}");
        assertThat(fresh.state()).isEqualTo("not-installed");
        assertThat(fresh.healthy()).isFalse();
        assertThat(fresh.detail()).contains("no release").contains("budgetctl deploy");
        assertThat(stopped.state()).isEqualTo("unhealthy");
    }

    @Test
    void givenADeployLog_whenItFailed_thenTheReasonIsTheLastFailedTasksMessageOnOneLine() {
        // given
        List<String> log = List.of("TASK [switch] ***",
                "fatal: [acme]: FAILED! => {\"changed\": false, \"msg\": \"deploy of v1.4.0 to acme FAILED at health"
                        + " gate:\\n backend not ready. Rolled back to v1.3.2-20261201T000000Z.\"}",
                "PLAY RECAP ***");

        // then
        assertThat(FleetDeployJob.reason(log, 2)).isEqualTo("deploy of v1.4.0 to acme FAILED at health gate: backend"
                + " not ready. Rolled back to v1.3.2-20261201T000000Z.");
        assertThat(FleetDeployJob.reason(List.of("ERROR! refused by access.yaml: olga may not deploy"), 6))
                .isEqualTo("refused by access.yaml: olga may not deploy");
        assertThat(FleetDeployJob.reason(List.of("nothing useful"), 3)).isEqualTo("deploy exited with code 3");
    }

    @Test
    void givenPlanAnswers_whenReducedToDrift_thenInSyncWhatWouldChangeOrUnknown() {
        assertThat(FleetLiveStatus.drift(0, "{\"client\":\"acme\",\"in_sync\":true,\"running_version\":\"v1.4.0\","
                + "\"desired_version\":\"v1.4.0\",\"changes\":[],\"restarts\":[]}", "")).isEqualTo("in sync");
        assertThat(FleetLiveStatus.drift(2, "{\"client\":\"acme\",\"in_sync\":false,\"running_version\":\"v1.3.2\","
                + "\"desired_version\":\"v1.4.0\",\"changes\":[{\"path\":\"smtp.host\"},{\"path\":\"domain\"}],"
                + "\"restarts\":[\"backend\",\"worker\"]}", ""))
                .isEqualTo("drifted: v1.3.2 -> v1.4.0, 2 settings, restarts backend, worker");
        assertThat(FleetLiveStatus.drift(2, "{\"in_sync\":false,\"running_version\":null,\"desired_version\":"
                + "\"v1.4.0\",\"changes\":[{\"path\":\"domain\"}],\"restarts\":[]}", ""))
                .isEqualTo("drifted: nothing -> v1.4.0, 1 setting");
        assertThat(FleetLiveStatus.drift(4, "", "fatal: [zeta]: UNREACHABLE! => {\"msg\": \"no sshd\"}\n"))
                .startsWith("unknown: fatal: [zeta]: UNREACHABLE!");
        // host text in a plan (a version string from the server's release record) stays one printable line
        assertThat(FleetLiveStatus.drift(2, "{\"in_sync\":false,\"running_version\":\"v1\\u001b[2J\\nx\","
                + "\"desired_version\":\"v1.4.0\",\"changes\":[],\"restarts\":[]}", ""))
                .doesNotContain("\u001b").doesNotContain("\n");
    }

    @Test
    void givenCustomersWhoseServerIsDown_whenDriftIsAsked_thenEachSaysUnknownAndTheExitIsThree() throws IOException {
        // given
        Path repo = repoWithUnreachableDemoServer();

        // when
        int code = budgetctl("fleet", "status", "--clients", "epsilon,zeta", "--drift", "--repo", repo.toString());

        // then
        assertThat(code).as(out + "\n" + err).isEqualTo(3);
        assertThat(out.toString()).containsPattern("epsilon +UNREACHABLE .*; unknown: ").contains("2 not in sync");
    }
}
