package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code budgetctl audit verify} over what the real writers put in the controller's audit log: lifecycle commands
 * (denied before any host is contacted, so no host is needed) and {@code run -i <repo>}, also
 * from many threads at once as parallel fleet deploys write; then a tampered copy.
 */
class AuditVerifyTest {
    @TempDir
    Path tmp;
    Path log;

    @BeforeEach
    void operator() {
        log = tmp.resolve("state/audit.log");
        LifecycleCommand.environment = env("olga@itbm-vendor.example");
    }

    private Map<String, String> env(String operator) {
        return Map.of("BUDGETCTL_OPERATOR", operator, "BUDGETCTL_AUDIT_LOG", log.toString(), "HOME",
                tmp.toString());
    }

    @AfterEach
    void environmentBack() {
        LifecycleCommand.environment = null;
    }

    private record Run(int code, String out, String err) {
    }

    private static Run budgetctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String repo() {
        return LifecycleAccessTest.inventory().toString();
    }

    @Test
    void theLinesOfLifecycleCommandsFromManyThreadsFormAnIntactChain() throws Exception {
        // given: Olga (support) is refused deploy, rollback and lock release: each is one audit line, no host
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> codes = new ArrayList<>();
        // when
        for (int t = 0; t < threads; t++) {
            String[] args = switch (t % 3) {
                case 0 -> new String[] {"deploy", "--client", "acme", "--version", "v1.4.0", "--repo", repo()};
                case 1 -> new String[] {"rollback", "--client", "zeta", "--to", "v1.3.2", "--repo", repo()};
                default -> new String[] {"lock", "release", "--client", "epsilon", "--repo", repo()};
            };
            codes.add(pool.submit(() -> {
                start.await();
                int last = 0;
                for (int i = 0; i < 5; i++) {
                    last = budgetctl(args).code();
                }
                return last;
            }));
        }
        start.countDown();
        for (Future<Integer> f : codes) {
            assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(6);
        }
        pool.shutdown();
        // then
        assertThat(Files.readAllLines(log)).hasSize(threads * 5);
        Run verify = budgetctl("audit", "verify");
        assertThat(verify.code()).as(verify.err()).isZero();
        assertThat(verify.out()).isEqualTo("ok: " + log + ": 30 entries, hash chain intact; ends where the head"
                + " marker says\n");
    }

    @Test
    void runLinesJoinTheSameChainAndAnEditIsNamed() throws Exception {
        // given: a deploy refused, a run refused (Olga has neither action)
        assertThat(budgetctl("deploy", "--client", "delta", "--repo", repo()).code()).isEqualTo(6);
        assertThat(budgetctl("run", "-i", repo(), "playbooks/status.yml", "-l", "acme").code()).isEqualTo(6);
        List<String> lines = Files.readAllLines(log);
        assertThat(String.join("\n", lines)).contains("\"action\":\"deploy\"", "\"action\":\"run\"");
        assertThat(budgetctl("audit", "verify", "--file", log.toString()).code()).isZero();
        // when: the deny of line 1 is rewritten as an allow
        lines.set(0, lines.get(0).replace("\"decision\":\"deny\"", "\"decision\":\"allow\""));
        Files.writeString(log, String.join("\n", lines) + "\n");
        Run verify = budgetctl("audit", "verify", "--file", log.toString());
        // then
        assertThat(verify.code()).isEqualTo(1);
        assertThat(verify.err()).startsWith("ERROR! " + log + ":2: line 1 (seq 1) was edited: line 2 recorded a"
                + " different hash of it\n  hint: ");
        assertThat(verify.out()).isEmpty();
    }

    @Test
    void aMissingLogIsOneErrorLineWithAHint() {
        Run verify = budgetctl("audit", "verify", "--file", tmp.resolve("none.log").toString());
        assertThat(verify.code()).isEqualTo(1);
        assertThat(verify.err()).startsWith("ERROR! " + tmp.resolve("none.log") + ": no audit log here\n  hint: ");
    }

    @Test
    void auditWithoutASubcommandStillNeedsAClient() {
        Run r = budgetctl("audit", "--repo", repo());
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.err()).contains("Missing required option: '--client=ID'");
    }
}
