package io.budgetctl.cli.differential;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The differential suite: every case under {@code src/test/resources/differential/NN-name/} is run by the real
 * {@code ansible-playbook} (2.14, a subprocess) and by budgetctl ({@code Main.run}, in this JVM), with the same
 * options, each in its own copy of the case and its own output directory, twice; the ansible-playbook sides of up to
 * {@code diff.parallel} (default 3) cases run at once. After each run the two must agree
 * on the exit code, the PLAY RECAP line of every host, and the file tree each left under its base_dir (path, type,
 * mode, content, symlink target; own paths replaced by placeholders). ansible-playbook must also behave as the case
 * says (expect_rc, idempotent second run), so a case cannot silently test nothing.
 *
 * <p>System properties: {@code diff.case} (comma-separated name prefixes, default all), {@code diff.side}
 * ({@code both}, default, or {@code ansible} to check only the cases themselves), {@code diff.ansible} (path of
 * ansible-playbook, default found on PATH), {@code diff.keep} (true: keep the temp dirs), {@code diff.budgetctl}
 * ({@code cli}, default: {@code Main.run(out, err, "run", ...)}; {@code engine}: {@code Engine.run} directly). Reports go to
 * {@code target/differential/<case>/}. See docs/differential-testing.md.
 */
class AnsibleDifferentialIT {
    private static final Path REPORTS = Path.of("target", "differential");

    /**
     * How many cases' ansible-playbook sides run at once ({@code -Ddiff.parallel}, default 3). ansible-playbook with
     * the local connection keeps about one core busy (a Python process per task), and some cases mostly wait (pause,
     * wait_for, until); budgetctl's side runs in the test thread, one case at a time, against the snapshots the
     * ansible side took after each of its runs.
     */
    private static final int PARALLEL = Math.max(1, Integer.getInteger("diff.parallel", 3));

    @TestFactory
    Stream<DynamicTest> every_case_behaves_like_ansible_playbook() {
        // given every case, or those named by -Ddiff.case
        List<DiffCase> cases = DiffCase.all(casesRoot(), System.getProperty("diff.case"));
        if (cases.isEmpty()) {
            fail("no differential case matches diff.case=" + System.getProperty("diff.case") + " under " + casesRoot());
        }
        boolean budgetctl = !"ansible".equals(System.getProperty("diff.side", "both"));
        Path ansible = ansiblePlaybook();
        // ansible-playbook's side of every case starts now, PARALLEL at a time, in case order
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, "ansible-differential");
            t.setDaemon(true);
            return t;
        });
        Map<String, Future<AnsibleSide>> sides = new LinkedHashMap<>();
        for (DiffCase c : cases) {
            sides.put(c.name(), pool.submit(() -> AnsibleSide.run(c, ansible)));
        }
        pool.shutdown();
        // when / then: one test per case
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name() + ": " + c.description(),
                c.dir().resolve("playbook.yml").toUri(), () -> finishCase(c, awaitSide(sides.get(c.name())), budgetctl)))
                .onClose(pool::shutdownNow);
    }

    private static AnsibleSide awaitSide(Future<AnsibleSide> side) throws IOException, InterruptedException {
        try {
            return side.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * One case's temp dirs and fixtures, and what ansible-playbook did in them: each run's outcome and a snapshot of
     * its base_dir taken right after it. The fixtures (HTTP server, closed port) stay up for budgetctl's side.
     */
    private record AnsibleSide(Path tmp, Path caseB, Path outB, Path sideB, Path reportDir, Integer httpPort,
                               Integer closedPort, LocalFixtures.HttpServer http, List<ToolRun> runs,
                               List<Map<String, FileTree.Node>> trees, List<String> sanity, StringBuilder log) {

        static AnsibleSide run(DiffCase c, Path ansible) throws IOException {
            Path tmp = Files.createTempDirectory("budgetctl-diff-" + c.name() + "-");
            // the two sides' paths have the same length, so lengths written into files cannot differ by path alone
            Path sideA = tmp.resolve("a");
            Path sideB = tmp.resolve("b");
            Path caseA = copyTree(c.dir(), sideA.resolve("case"));
            Path caseB = copyTree(c.dir(), sideB.resolve("case"));
            Path outA = Files.createDirectories(sideA.resolve("out"));
            Path outB = Files.createDirectories(sideB.resolve("out"));
            Path reportDir = Files.createDirectories(REPORTS.resolve(c.name()));
            Integer closedPort = c.closedPort() ? LocalFixtures.freePort() : null;
            LocalFixtures.HttpServer http = c.http()
                    ? new LocalFixtures.HttpServer(caseA.resolve("www"), tmp.resolve("http.log")) : null;
            Integer httpPort = http == null ? null : http.port;
            AnsibleSide side = new AnsibleSide(tmp, caseB, outB, sideB, reportDir, httpPort, closedPort, http,
                    new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new StringBuilder());
            try {
                for (int run = 1; run <= c.runs(); run++) {
                    ToolRun a = ToolRun.ansible(ansible, c.commandLine(caseA, outA, httpPort, closedPort), caseA,
                            sideA.resolve("ansible-" + run));
                    side.runs.add(a);
                    side.trees.add(FileTree.snapshot(outA, placeholders(outA, Map.of(sideA.toString(), "<SIDE>"))));
                    Files.writeString(reportDir.resolve("ansible-run" + run + ".txt"), a.stdout() + a.stderr());
                    checkAnsibleBehavesAsTheCaseSays(c, run, a, side.sanity);
                }
            } catch (IOException | RuntimeException e) {
                side.close();
                throw e;
            }
            return side;
        }

        void close() {
            if (http != null) {
                http.close();
            }
            if (!Boolean.getBoolean("diff.keep")) {
                deleteTree(tmp);
            } else {
                log.append("kept ").append(tmp).append('\n');
            }
        }
    }

    private static void finishCase(DiffCase c, AnsibleSide side, boolean withBudgetctl) throws IOException {
        List<String> mismatches = new ArrayList<>();
        StringBuilder log = side.log();
        try {
            for (int run = 1; run <= c.runs(); run++) {
                ToolRun a = side.runs().get(run - 1);
                log.append(describe(run, a));
                if (!withBudgetctl) {
                    continue;
                }
                long fdsBefore = openFileDescriptors();
                ToolRun b = ToolRun.budgetctl(c.commandLine(side.caseB(), side.outB(), side.httpPort(),
                        side.closedPort()), "engine".equals(System.getProperty("diff.budgetctl", "cli")));
                log.append(describe(run, b)).append("    open file descriptors in the test JVM: ").append(fdsBefore)
                        .append(" before, ").append(openFileDescriptors()).append(" after; threads: ")
                        .append(Thread.activeCount()).append('\n');
                Files.writeString(side.reportDir().resolve("budgetctl-run" + run + ".txt"), b.stdout() + b.stderr());
                Map<String, FileTree.Node> treeB = FileTree.snapshot(side.outB(),
                        placeholders(side.outB(), Map.of(side.sideB().toString(), "<SIDE>")));
                List<String> diff = compare(c, a, b, side.trees().get(run - 1), treeB);
                if (!diff.isEmpty()) {
                    mismatches.add("== " + c.name() + ", run " + run + " of " + c.runs() + ": budgetctl differs from"
                            + " ansible-playbook\n" + String.join("\n", diff) + "\n" + a.tail(25) + b.tail(25));
                }
            }
        } finally {
            side.close();
        }
        List<String> sanity = side.sanity();
        String report = String.join("\n\n", sanity) + (sanity.isEmpty() ? "" : "\n\n") + String.join("\n\n", mismatches);
        Files.writeString(side.reportDir().resolve("report.txt"), log + "\n" + report);
        if (!sanity.isEmpty()) {
            fail("the case itself is wrong: ansible-playbook does not behave as " + c.name() + "/case.yaml says\n"
                    + String.join("\n\n", sanity));
        }
        if (c.knownDifference() != null && withBudgetctl) {
            if (mismatches.isEmpty()) {
                fail(c.name() + " now behaves like ansible-playbook: remove known_difference (\"" + c.knownDifference()
                        + "\") from its case.yaml and from docs/differential-testing.md");
            }
            System.out.println(c.name() + ": known difference still present (" + c.knownDifference() + ")\n" + report);
            return;
        }
        if (!mismatches.isEmpty()) {
            fail(String.join("\n\n", mismatches));
        }
    }

    /** expect_rc on every run, and changed=0 everywhere on run 2 of an idempotent case. */
    private static void checkAnsibleBehavesAsTheCaseSays(DiffCase c, int run, ToolRun a, List<String> problems) {
        if (a.exitCode() != c.expectRc()) {
            problems.add("run " + run + ": ansible-playbook exited " + a.exitCode() + ", case.yaml expects " + c.expectRc()
                    + "\n" + a.tail(40));
        }
        if (a.recap().isEmpty()) {
            problems.add("run " + run + ": no PLAY RECAP in ansible-playbook's output\n" + a.tail(40));
        }
        if (run == 2 && c.idempotent() && !Recap.changedHosts(a.recap()).isEmpty()) {
            problems.add("run 2: the case is marked idempotent but ansible-playbook reports changes on "
                    + Recap.changedHosts(a.recap()) + "\n" + a.tail(40));
        }
        if (c.secret() != null && (a.stdout() + a.stderr()).contains(c.secret())) {
            problems.add("run " + run + ": ansible-playbook prints the case's secret; the case is wrong");
        }
    }

    private static List<String> compare(DiffCase c, ToolRun a, ToolRun b, Map<String, FileTree.Node> treeA,
                                        Map<String, FileTree.Node> treeB) {
        List<String> diff = new ArrayList<>();
        if (a.exitCode() != b.exitCode()) {
            diff.add("exit code: ansible-playbook " + a.exitCode() + ", budgetctl " + b.exitCode());
        }
        Map<String, String> ra = a.recap();
        Map<String, String> rb = b.recap();
        if (!ra.equals(rb)) {
            diff.add("PLAY RECAP differs (ansible-playbook | budgetctl):");
            Set<String> hosts = new LinkedHashSet<>(ra.keySet());
            hosts.addAll(rb.keySet());
            for (String h : hosts) {
                String x = ra.getOrDefault(h, "(no line)");
                String y = rb.getOrDefault(h, "(no line)");
                diff.add(String.format("  %s %-6s %-72s | %s", x.equals(y) ? " " : "*", h, x, y));
            }
        }
        List<String> files = FileTree.diff(treeA, treeB, "ansible-playbook", "budgetctl");
        if (!files.isEmpty()) {
            diff.add("files under base_dir differ:");
            files.forEach(f -> diff.add("  " + f));
        }
        if (c.secret() != null && (b.stdout() + b.stderr()).contains(c.secret())) {
            diff.add("budgetctl prints the secret '" + c.secret() + "' (no_log / masking)");
        }
        return diff;
    }

    private static Map<String, String> placeholders(Path out, Map<String, String> side) {
        Map<String, String> m = new LinkedHashMap<>(side);
        m.put(out.toString(), "<BASE_DIR>");
        return m;
    }

    private static String describe(int run, ToolRun r) {
        return "run " + run + " " + r.tool() + ": exit " + r.exitCode() + " in " + r.took().toMillis() + " ms: "
                + String.join(" ", r.command()) + "\n" + r.recap().entrySet().stream()
                .map(e -> "    " + e.getKey() + " " + e.getValue() + "\n").reduce("", String::concat);
    }

    /** Open descriptors of this JVM (Linux /proc), to spot leaks in the in-process budgetctl run; -1 elsewhere. */
    private static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /** ansible-playbook from -Ddiff.ansible or PATH; the suite fails (never skips) without it. */
    private static Path ansiblePlaybook() {
        String explicit = System.getProperty("diff.ansible");
        if (explicit != null) {
            return Path.of(explicit);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "ansible-playbook");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return fail("ansible-playbook is not on PATH: the differential suite needs the real Ansible "
                + "(apt-get install ansible-core, or run scripts/setup), or -Ddiff.ansible=/path/to/ansible-playbook");
    }

    private static Path casesRoot() {
        Path src = Path.of("src", "test", "resources", "differential");
        if (Files.isDirectory(src)) {
            return src.toAbsolutePath();
        }
        URL url = AnsibleDifferentialIT.class.getResource("/differential");
        if (url == null) {
            return fail("no differential cases: neither " + src.toAbsolutePath() + " nor /differential on the classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }
        });
        return to;
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted((x, y) -> y.getNameCount() - x.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
