package io.budgetctl.modules.net;

import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.connection.FileStat;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleBase;
import io.budgetctl.modules.ModuleOutput;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code wait_for}: polls a TCP port or a file ON THE TARGET HOST until it reaches {@code state}, or fails after
 * {@code timeout} seconds. Each poll is one command over the connection:
 * <ul>
 *   <li>port: {@code bash -c 'exec 3<>/dev/tcp/HOST/PORT'} under {@code timeout CONNECT_TIMEOUT} (bash and
 *   coreutils are Essential packages on Debian, so this works on a minimal install without Python or netcat); when
 *   bash is missing (busybox hosts), {@code nc -z -w}.</li>
 *   <li>path: the connection's stat; with {@code search_regex} the file is read and searched (Java regex, MULTILINE,
 *   Python's {@code (?P<name>...)} accepted).</li>
 * </ul>
 * With neither port nor path it just waits {@code timeout} seconds.
 */
public final class WaitForModule extends ModuleBase {
    /** $1 host, $2 port, $3 connect timeout in seconds. Exit 0 open, 1 closed, 2 no tool to test with. */
    static final String PORT_SCRIPT = """
            if command -v bash >/dev/null 2>&1; then
              if command -v timeout >/dev/null 2>&1; then
                timeout "$3" bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null && exit 0
              else
                bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null && exit 0
              fi
              exit 1
            elif command -v nc >/dev/null 2>&1; then
              nc -z -w "$3" "$1" "$2" >/dev/null 2>&1 && exit 0
              exit 1
            fi
            echo "neither bash nor nc is available on the host to test a TCP port" >&2
            exit 2
            """;

    private static final Pattern PY_NAMED_GROUP = Pattern.compile("\\(\\?P<");
    private static final Pattern JAVA_NAMED_GROUP = Pattern.compile("\\(\\?<([A-Za-z][A-Za-z0-9]*)>");

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("host", Arg.of("str").withDefault("127.0.0.1"))
            .arg("port", Arg.of("int"))
            .arg("path", Arg.of("path"))
            .arg("state", Arg.of("str").withDefault("started")
                    .withChoices("started", "stopped", "present", "absent", "drained"))
            // float where Ansible says int: fractions of a second always worked here (a superset of Ansible's)
            .arg("timeout", Arg.of("float").withDefault(300))
            .arg("delay", Arg.of("float").withDefault(0))
            .arg("sleep", Arg.of("float").withDefault(1))
            .arg("connect_timeout", Arg.of("int").withDefault(5))
            .arg("search_regex", Arg.of("str"))
            .arg("msg", Arg.of("str"))
            .mutuallyExclusive("port", "path")
            .build();

    public WaitForModule() {
        // only looks, never changes anything: runs for real in check mode, like Ansible
        super("wait_for", SPEC, CheckMode.FULL);
    }

    /** What one poll saw: whether the wanted state is reached, plus result keys to report. */
    record Poll(boolean done, Map<String, Object> data, String error) {
        static Poll of(boolean done) {
            return new Poll(done, Map.of(), null);
        }
    }

    @Override
    protected Result apply(ModuleContext ctx, Args a) {
        Map<String, Object> args = a.map();
        String host = a.str("host");
        String path = a.str("path");
        String state = a.str("state");
        String regex = a.str("search_regex");
        Integer port = a.integer("port");
        double timeout = a.number("timeout", 300);
        double delay = a.number("delay", 0);
        double sleep = a.number("sleep", 1);
        int connectTimeout = Math.max(1, a.integer("connect_timeout", 5));
        if (state.equals("drained")) {
            return Result.failed("state=drained is not supported by budgetctl's wait_for "
                    + "(it needs the host's connection table); use state=stopped or a shell check");
        }
        if (port != null && regex != null) {
            return Result.failed("search_regex is only supported with path in budgetctl's wait_for "
                    + "(reading from a port is not implemented); use uri for HTTP checks");
        }
        Pattern pattern = null;
        if (regex != null) {
            try {
                pattern = Pattern.compile(PY_NAMED_GROUP.matcher(regex).replaceAll("(?<"), Pattern.MULTILINE);
            } catch (PatternSyntaxException e) {
                return Result.failed("invalid search_regex '" + regex + "': " + e.getDescription());
            }
        }
        boolean wantUp = state.equals("started") || state.equals("present");

        long start = System.nanoTime();
        if (!pause(delay)) {
            return Result.failed("wait_for was interrupted");
        }
        long deadline = start + (long) (timeout * 1e9);
        if (port == null && path == null) {
            pause(Math.max(0, (deadline - System.nanoTime()) / 1e9));
            return Result.ok(base(start, null, null, null, state));
        }
        final Pattern compiled = pattern;
        while (true) {
            Poll poll = port != null ? pollPort(ctx, host, port, connectTimeout, wantUp)
                    : pollPath(ctx, path, compiled, wantUp);
            if (poll.error() != null) {
                Map<String, Object> data = ModuleOutput.map("elapsed", elapsed(start));
                return Result.failed(poll.error(), data);
            }
            if (poll.done()) {
                Map<String, Object> data = base(start, path, port, regex, state);
                data.putAll(poll.data());
                return Result.ok(data);
            }
            long now = System.nanoTime();
            if (now >= deadline) {
                String msg = args.get("msg") != null ? args.get("msg").toString()
                        : timeoutMessage(host, port, path, regex, wantUp);
                return Result.failed(msg, ModuleOutput.map("elapsed", elapsed(start)));
            }
            if (!pause(Math.min(sleep, (deadline - now) / 1e9))) {
                return Result.failed("wait_for was interrupted");
            }
        }
    }

    static String timeoutMessage(String host, Integer port, String path, String regex, boolean wantUp) {
        if (port != null) {
            return "Timeout when waiting for " + host + ":" + port + (wantUp ? "" : " to stop.");
        }
        if (!wantUp) {
            return "Timeout when waiting for " + path + " to be absent.";
        }
        if (regex != null) {
            return "Timeout when waiting for search string " + regex + " in " + path;
        }
        return "Timeout when waiting for file " + path;
    }

    /** The argv of one port test, run on the target. */
    static List<String> portArgv(String host, int port, int connectTimeout) {
        return List.of("/bin/sh", "-c", PORT_SCRIPT, "wait_for", host, String.valueOf(port),
                String.valueOf(connectTimeout));
    }

    private static Poll pollPort(ModuleContext ctx, String host, int port, int connectTimeout, boolean wantUp) {
        ExecResult r = ctx.exec(new ExecRequest(portArgv(host, port, connectTimeout), null, null, null, null,
                Duration.ofSeconds(connectTimeout + 10L)));
        if (r.exitCode() == 2) {
            return new Poll(false, Map.of(), r.stderr().strip());
        }
        boolean open = r.exitCode() == 0;
        return Poll.of(open == wantUp);
    }

    private static Poll pollPath(ModuleContext ctx, String path, Pattern regex, boolean wantUp) {
        Optional<FileStat> st = ctx.connection().stat(path, ctx.become());
        if (!wantUp) {
            return Poll.of(st.isEmpty());
        }
        if (st.isEmpty()) {
            return Poll.of(false);
        }
        FileStat s = st.get();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("state", s.isDirectory() ? "directory" : s.isLink() ? "link" : "file");
        data.put("mode", s.mode());
        data.put("owner", s.owner());
        data.put("group", s.group());
        data.put("size", s.size());
        if (regex == null) {
            return new Poll(true, data, null);
        }
        Optional<byte[]> content = ctx.connection().read(path, ctx.become());
        if (content.isEmpty()) {
            return Poll.of(false);
        }
        Matcher m = regex.matcher(new String(content.get(), StandardCharsets.UTF_8));
        if (!m.find()) {
            return Poll.of(false);
        }
        List<String> groups = new ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) {
            groups.add(m.group(i));
        }
        Map<String, Object> named = new LinkedHashMap<>();
        Matcher names = JAVA_NAMED_GROUP.matcher(regex.pattern());
        while (names.find()) {
            named.put(names.group(1), m.group(names.group(1)));
        }
        data.put("match_groups", groups);
        data.put("match_groupdict", named);
        return new Poll(true, data, null);
    }

    private static Map<String, Object> base(long start, String path, Integer port, String regex, String state) {
        return ModuleOutput.map(
                "elapsed", elapsed(start),
                "match_groupdict", new LinkedHashMap<>(),
                "match_groups", new ArrayList<>(),
                "path", path,
                "port", port,
                "search_regex", regex,
                "state", state);
    }

    private static int elapsed(long startNanos) {
        return (int) ((System.nanoTime() - startNanos) / 1_000_000_000L);
    }

    private static boolean pause(double seconds) {
        if (seconds <= 0) {
            return true;
        }
        try {
            Thread.sleep((long) (seconds * 1000));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
