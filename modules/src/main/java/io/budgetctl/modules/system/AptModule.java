package io.budgetctl.modules.system;

import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.connection.FileStat;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.ModuleBase;
import io.budgetctl.modules.ModuleOutput;
import java.nio.file.FileSystems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code apt}: Debian packages with {@code dpkg-query} (what is installed), {@code apt-cache policy} (what
 * {@code latest} would be) and {@code apt-get} (changes), with {@code DEBIAN_FRONTEND=noninteractive}. No Python or
 * python3-apt on the host. Idempotent: apt-get only runs for packages that need it. Check mode runs
 * {@code apt-get -s} (which also proves the packages exist) and never updates the cache.
 */
public final class AptModule extends ModuleBase {
    static final Map<String, String> ENV = Map.of("DEBIAN_FRONTEND", "noninteractive");
    /** Debian package name, optional :arch, optional =version (version may use * globs like Ansible's). */
    static final Pattern PACKAGE = Pattern.compile("([a-z0-9][a-z0-9+.\\-]*)(:[a-z0-9]+)?(?:=([A-Za-z0-9.+~:*\\-]+))?");
    static final List<String> CACHE_STAMPS = List.of("/var/lib/apt/periodic/update-success-stamp",
            "/var/lib/apt/lists");
    private static final Pattern UNABLE = Pattern.compile("Unable to locate package (\\S+)");

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("name", Arg.of("list").withAliases("pkg", "package"))
            .arg("state", Arg.of("str").withDefault("present").withChoices("present", "absent", "latest"))
            .arg("update_cache", Arg.of("bool").withDefault(false).withAliases("update-cache"))
            .arg("cache_valid_time", Arg.of("int").withDefault(0))
            .arg("purge", Arg.of("bool").withDefault(false))
            .arg("install_recommends", Arg.of("bool").withAliases("install-recommends"))
            .build();

    /** One requested package: name (with :arch if given) and an optional version pattern. */
    record Pkg(String name, String version) {
        String spec() {
            return version == null ? name : name + "=" + version;
        }

        String baseName() {
            int colon = name.indexOf(':');
            return colon < 0 ? name : name.substring(0, colon);
        }
    }

    /** What dpkg-query says about one package. */
    record Installed(String status, String version) {
        boolean installed() {
            return status.endsWith(" installed");
        }
    }

    public AptModule() {
        super("apt", SPEC, CheckMode.FULL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        List<Pkg> pkgs = packages(args.strings("name"));
        boolean updateCache = args.bool("update_cache");
        int validTime = args.integer("cache_valid_time", 0);
        boolean purge = args.bool("purge");
        Boolean recommends = args.boolOrNull("install_recommends");
        String state = args.str("state");
        if (pkgs.isEmpty() && !updateCache && validTime == 0) {
            return Result.failed("one of the following is required: name, update_cache");
        }

        Map<String, Object> data = new LinkedHashMap<>();
        boolean cacheUpdated = false;
        if (updateCache || validTime > 0) {
            long now = System.currentTimeMillis() / 1000;
            long mtime = cacheTime(ctx);
            if (mtime + validTime < now || (updateCache && validTime == 0)) {
                if (!ctx.check()) {
                    ExecResult u = ctx.exec(new ExecRequest(updateArgv(), null, ENV, null, null, null));
                    if (!u.ok()) {
                        return Result.failed("Failed to update apt cache: " + firstNonBlank(u.stderr(), u.stdout(),
                                "unknown reason"), ModuleOutput.map("rc", u.exitCode(), "stdout", u.stdout(),
                                "stderr", u.stderr()));
                    }
                    mtime = cacheTime(ctx);
                }
                cacheUpdated = true;
            }
            data.put("cache_updated", cacheUpdated);
            data.put("cache_update_time", mtime);
        }
        if (pkgs.isEmpty()) {
            return Result.of(cacheUpdated, data);
        }

        ExecResult q = ctx.exec(new ExecRequest(dpkgQueryArgv(pkgs), null, ENV, null, null, null));
        if (q.exitCode() > 1) {
            return Result.failed("dpkg-query failed (is this a Debian-based host?): " + q.stderr().strip(),
                    ModuleOutput.map("rc", q.exitCode(), "stderr", q.stderr()));
        }
        Map<String, Installed> installed = parseDpkgQuery(q.stdout());
        Map<String, String[]> policy = Map.of();
        if (state.equals("latest")) {
            ExecResult p = ctx.exec(new ExecRequest(policyArgv(pkgs), null, ENV, null, null, null));
            policy = parsePolicy(p.stdout());
        }

        List<String> work = new ArrayList<>();
        for (Pkg p : pkgs) {
            Installed i = installed.get(p.baseName());
            boolean isInstalled = i != null && i.installed();
            switch (state) {
                case "absent" -> {
                    if (isInstalled || (purge && i != null && !i.status().endsWith("not-installed"))) {
                        work.add(p.name());
                    }
                }
                case "latest" -> {
                    String[] pol = policy.get(p.baseName());
                    boolean upgradable = pol != null && !pol[1].equals("(none)") && !pol[1].equals(pol[0]);
                    if (!isInstalled || upgradable) {
                        work.add(p.spec());
                    }
                }
                default -> {
                    if (!isInstalled || (p.version() != null && !versionMatches(p.version(), i.version()))) {
                        work.add(p.spec());
                    }
                }
            }
        }
        if (work.isEmpty()) {
            // as ansible-core's apt: with packages named, "changed" is about packages; a cache update alone only
            // shows in cache_updated (so update_cache: true keeps a converged play at changed=0)
            return Result.ok(data);
        }
        List<String> argv = state.equals("absent") ? removeArgv(work, purge, ctx.check())
                : installArgv(work, recommends, ctx.check());
        ExecResult r = ctx.exec(new ExecRequest(argv, null, ENV, null, null, null));
        data.put("stdout", r.stdout());
        data.put("stderr", r.stderr());
        data.put("stdout_lines", ModuleOutput.lines(r.stdout()));
        data.put("stderr_lines", ModuleOutput.lines(r.stderr()));
        if (!r.ok()) {
            data.put("rc", r.exitCode());
            Matcher m = UNABLE.matcher(r.stderr());
            String msg = m.find() ? "No package matching '" + m.group(1) + "' is available"
                    : "'" + String.join(" ", argv) + "' failed: " + r.stderr().strip();
            return Result.failed(msg, data);
        }
        return Result.changed(data);
    }

    static List<Pkg> packages(List<String> names) {
        List<Pkg> out = new ArrayList<>();
        for (String n : names) {
            Matcher m = PACKAGE.matcher(n);
            if (!m.matches()) {
                throw new BadArgument("invalid package name '" + n + "': Debian package names are lowercase "
                        + "letters, digits and + - . (optionally name=version)");
            }
            out.add(new Pkg(m.group(1) + (m.group(2) == null ? "" : m.group(2)), m.group(3)));
        }
        return out;
    }

    static boolean versionMatches(String pattern, String version) {
        if (version == null) {
            return false;
        }
        return pattern.contains("*")
                ? FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(java.nio.file.Path.of(version))
                : pattern.equals(version);
    }

    static List<String> updateArgv() {
        return List.of("apt-get", "update", "-q", "-o", "DPkg::Lock::Timeout=60");
    }

    static List<String> dpkgQueryArgv(List<Pkg> pkgs) {
        List<String> a = new ArrayList<>(List.of("dpkg-query", "-W", "-f", "${Package}\\t${Status}\\t${Version}\\n"));
        pkgs.forEach(p -> a.add(p.baseName()));
        return a;
    }

    static List<String> policyArgv(List<Pkg> pkgs) {
        List<String> a = new ArrayList<>(List.of("apt-cache", "policy"));
        pkgs.forEach(p -> a.add(p.name()));
        return a;
    }

    static List<String> installArgv(List<String> specs, Boolean recommends, boolean simulate) {
        List<String> a = new ArrayList<>(List.of("apt-get", "-y", "-q", "-o", "DPkg::Lock::Timeout=60",
                "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold"));
        if (recommends != null) {
            a.add(recommends ? "--install-recommends" : "--no-install-recommends");
        }
        if (simulate) {
            a.add("-s");
        }
        a.add("install");
        a.addAll(specs);
        return a;
    }

    static List<String> removeArgv(List<String> names, boolean purge, boolean simulate) {
        List<String> a = new ArrayList<>(List.of("apt-get", "-y", "-q", "-o", "DPkg::Lock::Timeout=60"));
        if (purge) {
            a.add("--purge");
        }
        if (simulate) {
            a.add("-s");
        }
        a.add("remove");
        a.addAll(names);
        return a;
    }

    /** Lines of {@code Package<TAB>Status<TAB>Version}; packages dpkg does not know are simply absent. */
    static Map<String, Installed> parseDpkgQuery(String out) {
        Map<String, Installed> m = new LinkedHashMap<>();
        for (String line : ModuleOutput.lines(out)) {
            String[] f = line.split("\t", -1);
            if (f.length >= 3) {
                m.put(f[0], new Installed(f[1], f[2].isEmpty() ? null : f[2]));
            }
        }
        return m;
    }

    /** {@code apt-cache policy} output: package -> [installed, candidate] ("(none)" when there is none). */
    static Map<String, String[]> parsePolicy(String out) {
        Map<String, String[]> m = new LinkedHashMap<>();
        String current = null;
        for (String line : ModuleOutput.lines(out)) {
            if (!line.startsWith(" ") && line.endsWith(":")) {
                current = line.substring(0, line.length() - 1);
                int colon = current.indexOf(':');
                if (colon > 0) {
                    current = current.substring(0, colon);
                }
                m.put(current, new String[] {"(none)", "(none)"});
            } else if (current != null && line.strip().startsWith("Installed:")) {
                m.get(current)[0] = line.strip().substring("Installed:".length()).strip();
            } else if (current != null && line.strip().startsWith("Candidate:")) {
                m.get(current)[1] = line.strip().substring("Candidate:".length()).strip();
            }
        }
        return m;
    }

    /** Epoch seconds of the last cache update (the update-success stamp, else the lists directory), 0 if none. */
    private static long cacheTime(ModuleContext ctx) {
        for (String p : CACHE_STAMPS) {
            Optional<FileStat> st = ctx.connection().stat(p, ctx.become());
            if (st.isPresent()) {
                return st.get().mtimeEpochSeconds();
            }
        }
        return 0;
    }

    private static String firstNonBlank(String... xs) {
        for (String x : xs) {
            if (x != null && !x.isBlank()) {
                return x.strip();
            }
        }
        return "";
    }
}
