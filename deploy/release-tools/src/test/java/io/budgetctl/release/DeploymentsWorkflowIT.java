package io.budgetctl.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployments-repository workflow template (docs/templates/deployments-repo-ci.yml) run as a runner runs it:
 * its {@code run:} steps in order, with their {@code env:}, in a clean container from our Debian base
 * ({@link LocalActionsRunner}), after a real {@code scripts/dist} of budgetctl, against a copy of the example
 * repository as a git repository and a real test host (sshd). What stands in for GitHub: the release download comes
 * from an HTTP server of this test through the template's own mirror setting {@code BUDGETCTL_DOWNLOAD_BASE} (no
 * github.com here), the JDK is this machine's mounted where setup-java puts one, and the test picks the jobs an
 * event runs (their {@code if:} is not evaluated).
 */
class DeploymentsWorkflowIT {
    private static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
    private static final String VERSION = "v0.0.0-ci";
    /** The example access.yaml's CI identity, replaced in the test's repository by the test host key's. */
    private static final String EXAMPLE_CI_KEY = "SHA256:uDWubGDygXOhnqj9g2JzMTgDr8ugaB998WIYGHOzUu4";

    @TempDir
    static Path tmp;

    static HttpServer server;
    static String image;
    static Path hosts;
    static int sshPort;
    static String hostKey;
    /** The CI identity: the fingerprint of the key the pipeline holds (the test hosts' client key). */
    static String ciKey;

    @BeforeAll
    static void releaseRunnerImageAndTestHost() throws Exception {
        // a real budgetctl distribution, and a tampered one whose checksum no longer fits
        Path dist = Files.createDirectories(tmp.resolve("dist"));
        Run made = run(ROOT, 600, ROOT.resolve("scripts/dist").toString(), VERSION, "--out",
                dist.resolve(VERSION).toString());
        assertThat(made.exit).as(made.out).isZero();
        Path bad = Files.createDirectories(dist.resolve("v0.0.0-bad"));
        Files.copy(dist.resolve(VERSION).resolve("budgetctl-" + VERSION + ".tar.gz"),
                bad.resolve("budgetctl-v0.0.0-bad.tar.gz"));
        Files.writeString(bad.resolve("budgetctl-v0.0.0-bad.tar.gz.sha256"), HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest("something else".getBytes(StandardCharsets.UTF_8)))
                + "  budgetctl-v0.0.0-bad.tar.gz\n");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            Path f = dist.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
            if (!f.startsWith(dist) || !Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            ex.sendResponseHeaders(200, Files.size(f));
            try (OutputStream o = ex.getResponseBody()) {
                Files.copy(f, o);
            }
        });
        server.start();

        // the runner image: our Debian base plus git and curl, tagged by its Dockerfile's content
        run(ROOT, 900, ROOT.resolve("scripts/testhosts").toString(), "images");
        Path dockerfile = ROOT.resolve("deploy/images/ci-runner/Dockerfile");
        image = "budgetctl/ci-runner:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(dockerfile))).substring(0, 12);
        if (run(ROOT, 60, "docker", "image", "inspect", image).exit != 0) {
            Run built = run(ROOT, 900, Map.of("DOCKER_BUILDKIT", "0"), "docker", "build", "-t", image,
                    dockerfile.getParent().toString());
            assertThat(built.exit).as(built.out).isZero();
        }

        // one test host: the customer server the pull request adds
        hosts = tmp.resolve("hosts");
        Run up = run(ROOT, 300, Map.of("BUDGETCTL_TESTHOSTS_DIR", hosts.toString()),
                ROOT.resolve("scripts/testhosts").toString(), "up", "1");
        assertThat(up.exit).as(up.out).isZero();
        byte[] blob = java.util.Base64.getDecoder().decode(Files.readString(hosts.resolve("id_ed25519.pub"))
                .split(" ")[1].strip());
        ciKey = "SHA256:" + java.util.Base64.getEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
        String[] tsv = Files.readAllLines(hosts.resolve("hosts.tsv")).get(0).split("\t");
        sshPort = Integer.parseInt(tsv[1]);
        hostKey = Files.readAllLines(hosts.resolve("known_hosts")).stream()
                .filter(l -> l.startsWith("[127.0.0.1]:" + sshPort + " ssh-ed25519 ")).findFirst().orElseThrow()
                .split(" ", 2)[1];
    }

    @AfterAll
    static void down() throws Exception {
        if (server != null) {
            server.stop(0);
        }
        if (hosts != null) {
            run(ROOT, 120, Map.of("BUDGETCTL_TESTHOSTS_DIR", hosts.toString()),
                    ROOT.resolve("scripts/testhosts").toString(), "down");
        }
    }

    /**
     * The example repository as a git repository, with CI's key in access.yaml being the one this pipeline holds and
     * the key proof required (every budgetctl command of the workflow must prove CI's identity through the agent);
     * returns the commit before the change {@code change} makes.
     */
    private static String repository(Path ws, Change change) throws Exception {
        Path src = ROOT.resolve("inventory");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path t = ws.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        Path access = ws.resolve("access.yaml");
        String policy = Files.readString(access);
        assertThat(policy).contains(EXAMPLE_CI_KEY);
        Files.writeString(access, policy.replace(EXAMPLE_CI_KEY, ciKey)
                .replace("require_key_proof: false", "require_key_proof: true"));
        git(ws, "init", "-q", "-b", "main");
        git(ws, "add", "-A");
        git(ws, "commit", "-q", "-m", "the deployments repository");
        String base = git(ws, "rev-parse", "HEAD").strip();
        change.apply(ws);
        git(ws, "add", "-A");
        git(ws, "commit", "-q", "-m", "the change under review");
        return base;
    }

    interface Change {
        void apply(Path ws) throws IOException;
    }

    /** A new customer in the demo environment whose server is the test host. */
    private static void newCustomerOnTheTestHost(Path ws) throws IOException {
        Files.writeString(ws.resolve("clients/ci-demo.yaml"), """
                id: ci-demo
                name: CI demo customer
                environment: demo
                licence: LIC-2025-0011
                domain: ci-demo.demo.itbm.example
                target:
                  type: compose
                  servers:
                    - name: app
                      address: 127.0.0.1
                ssh:
                  port: %d
                  host_key: %s
                """.formatted(sshPort, hostKey));
    }

    private LocalActionsRunner runner(String version, String event, String base) throws IOException {
        return new LocalActionsRunner(ROOT.resolve("docs/templates/deployments-repo-ci.yml"), image,
                Map.of("BUDGETCTL_VERSION", version,
                        "BUDGETCTL_DOWNLOAD_BASE", "http://127.0.0.1:" + server.getAddress().getPort(),
                        "BUDGETCTL_OPERATOR", ciKey),
                Map.of("DEPLOY_SSH_KEY", Files.readString(hosts.resolve("id_ed25519")),
                        "SOPS_AGE_KEY", Files.readString(ROOT.resolve("inventory/.demo-age-key.txt"))),
                Map.of("event_name", event, "event.pull_request.base.sha", event.equals("pull_request") ? base : "",
                        "event.before", event.equals("push") ? base : ""));
    }

    @Test
    void givenAPullRequestAddingACustomer_whenTheWorkflowRuns_thenEveryoneIsValidatedAndOnlyTheNewOneIsPlanned()
            throws Exception {
        // given
        Path ws = Files.createDirectories(tmp.resolve("pr"));
        String base = repository(ws, DeploymentsWorkflowIT::newCustomerOnTheTestHost);
        LocalActionsRunner r = runner(VERSION, "pull_request", base);

        // when
        LocalActionsRunner.JobRun validate = r.run("validate", ws, tmp.resolve("pr-jobs"));

        // then: the release checked and installed, every customer valid, the touched one found
        assertThat(validate.exit()).as(validate.log()).isZero();
        assertThat(validate.log()).contains("budgetctl-" + VERSION + ".tar.gz: OK", "customer(s)", "valid",
                "customers touched: ci-demo");
        assertThat(validate.outputs()).containsEntry("clients", "ci-demo");

        // when: the plan job, as its needs: and if: say for a pull request
        LocalActionsRunner.JobRun plan = r.run("plan", ws, tmp.resolve("pr-jobs"));

        // then: a real plan against the test host over SSH with the CI key, CI's identity proven by the agent
        // (access.yaml requires it); nothing was installed there
        assertThat(plan.exit()).as(plan.log()).isZero();
        assertThat(plan.log()).contains("plan for ci-demo", "nothing installed -> ",
                "ci-demo: the merge would change it");
        String key = Files.readString(hosts.resolve("id_ed25519"));
        String age = Files.readString(ROOT.resolve("inventory/.demo-age-key.txt"));
        for (String secret : List.of(key.lines().skip(1).findFirst().orElseThrow(),
                age.lines().filter(l -> l.startsWith("AGE-SECRET-KEY-")).findFirst().orElseThrow())) {
            assertThat(validate.log() + plan.log()).doesNotContain(secret);
        }
        // and plan is read only: nothing of IT Budget Manager on the server
        Run opt = run(ROOT, 60, "docker", "exec", Files.readAllLines(hosts.resolve("hosts.tsv")).get(0).split("\t")[2],
                "ls", "-A", "/opt");
        assertThat(opt.exit).as(opt.out).isZero();
        assertThat(opt.out).doesNotContain("itbm");
    }

    @Test
    void givenAChangeToASharedFile_whenPushed_thenEveryCustomerIsTouched() throws Exception {
        // given: a merge that changes the demo environment every demo customer inherits
        Path ws = Files.createDirectories(tmp.resolve("push"));
        String base = repository(ws, w -> Files.writeString(w.resolve("environments/demo.yaml"),
                Files.readString(w.resolve("environments/demo.yaml")) + "# reviewed\n"));

        // when
        LocalActionsRunner.JobRun validate = runner(VERSION, "push", base).run("validate", ws, tmp.resolve("push-jobs"));

        // then: every client file's id, in order
        assertThat(validate.exit()).as(validate.log()).isZero();
        List<String> ids = new ArrayList<>();
        try (Stream<Path> s = Files.list(ws.resolve("clients"))) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted()
                    .forEach(n -> ids.add(n.substring(0, n.length() - 5)));
        }
        assertThat(validate.outputs()).containsEntry("clients", String.join(",", ids));
    }

    @Test
    void givenAReleaseWhoseChecksumDoesNotFit_whenInstalled_thenTheJobStopsBeforeBudgetctlRuns() throws Exception {
        // given
        Path ws = Files.createDirectories(tmp.resolve("bad"));
        String base = repository(ws, DeploymentsWorkflowIT::newCustomerOnTheTestHost);

        // when
        LocalActionsRunner.JobRun validate = runner("v0.0.0-bad", "pull_request", base)
                .run("validate", ws, tmp.resolve("bad-jobs"));

        // then
        assertThat(validate.exit()).as(validate.log()).isNotZero();
        assertThat(validate.log()).contains("budgetctl-v0.0.0-bad.tar.gz: FAILED",
                "::failed:: install budgetctl from its release (sha256 checked)").doesNotContain("customer(s)");
    }

    @Test
    void givenTheMatrixVariant_whenItsChangesJobRuns_thenTheMatrixGetsAJsonListOfTheTouchedCustomers()
            throws Exception {
        // given
        Path ws = Files.createDirectories(tmp.resolve("matrix"));
        String base = repository(ws, DeploymentsWorkflowIT::newCustomerOnTheTestHost);
        LocalActionsRunner r = new LocalActionsRunner(ROOT.resolve("docs/templates/deployments-repo-ci-matrix.yml"),
                image, Map.of("BUDGETCTL_VERSION", VERSION,
                "BUDGETCTL_DOWNLOAD_BASE", "http://127.0.0.1:" + server.getAddress().getPort(),
                "BUDGETCTL_OPERATOR", ciKey), Map.of(), Map.of("event_name", "push", "event.before", base));

        // when
        LocalActionsRunner.JobRun changes = r.run("changes", ws, tmp.resolve("matrix-jobs"));

        // then
        assertThat(changes.exit()).as(changes.log()).isZero();
        assertThat(changes.outputs()).containsEntry("clients", "[\"ci-demo\"]");
        Map<String, Object> deploy = r.job("deploy");
        assertThat(deploy.toString()).contains("max-parallel=4", "fail-fast=false", "group=deploy-${{ matrix.client }}");
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=CI test", "-c",
                "user.email=ci@itbm-vendor.example"));
        cmd.addAll(List.of(args));
        Run r = run(dir, 60, cmd.toArray(String[]::new));
        assertThat(r.exit).as(r.out).isZero();
        return r.out;
    }

    record Run(int exit, String out) {
    }

    static Run run(Path dir, int seconds, String... cmd) throws Exception {
        return run(dir, seconds, Map.of(), cmd);
    }

    static Run run(Path dir, int seconds, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + seconds + " s:\n" + out);
        }
        return new Run(p.exitValue(), out);
    }
}
