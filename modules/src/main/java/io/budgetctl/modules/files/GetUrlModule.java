package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.connection.FileStat;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.HostCommands;
import io.budgetctl.modules.ModuleBase;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code get_url}: the host downloads {@code url} to {@code dest} with {@code curl} (or {@code wget} when curl is
 * missing) into a temporary file next to dest, which replaces dest only when its content differs. A matching
 * {@code checksum} on an existing dest skips the download. See docs/modules.md.
 */
public final class GetUrlModule extends ModuleBase {
    private static final Set<String> ALGORITHMS = Set.of("md5", "sha1", "sha224", "sha256", "sha384", "sha512");

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("url", Arg.required("str"))
            .arg("dest", Arg.required("path"))
            .arg("mode", Arg.of("raw"))
            .arg("owner", Arg.of("str"))
            .arg("group", Arg.of("str"))
            .arg("checksum", Arg.of("str").withDefault(""))
            .arg("force", Arg.of("bool").withDefault(false))
            .arg("headers", Arg.of("dict"))
            .arg("timeout", Arg.of("int").withDefault(10))
            .arg("backup", Arg.of("bool").withDefault(false))
            .arg("validate_certs", Arg.of("bool").withDefault(true))
            .build();

    /**
     * $1 url, $2 final dest, $3 timeout seconds, $4 "1" to send If-Modified-Since from dest, $5 GET|HEAD,
     * $6 "1" to skip TLS verification; the rest are "Name: value" headers. Prints the temp file, the HTTP status and
     * the number of bytes, one per line; the temp file is removed on HEAD.
     */
    static final String DOWNLOAD = """
            url=$1; dest=$2; timeout=$3; cond=$4; method=$5; insecure=$6; shift 6
            d=$(dirname -- "$dest"); b=$(basename -- "$dest")
            tmp=$(mktemp "$d/.$b.budgetctl-get_url.XXXXXX") || exit 70
            n=$#
            if command -v curl >/dev/null 2>&1; then
              for h in "$@"; do set -- "$@" -H "$h"; done; shift $n
              [ "$cond" = 1 ] && [ -e "$dest" ] && set -- "$@" -z "$dest"
              [ "$insecure" = 1 ] && set -- "$@" -k
              [ "$method" = HEAD ] && set -- "$@" -I
              out=$(curl -sS -L --max-time "$timeout" -o "$tmp" -w '%{http_code} %{size_download}' "$@" -- "$url")
              rc=$?
            elif command -v wget >/dev/null 2>&1; then
              for h in "$@"; do set -- "$@" --header="$h"; done; shift $n
              [ "$insecure" = 1 ] && set -- "$@" --no-check-certificate
              [ "$method" = HEAD ] && set -- "$@" --spider
              wget -q -T "$timeout" -O "$tmp" "$@" -- "$url"; rc=$?
              case $rc in 0) out="200 $(wc -c < "$tmp")";; 8) out="404 0"; rc=0;; *) out="000 0";; esac
            else
              rm -f -- "$tmp"; echo "neither curl nor wget is installed on the host" >&2; exit 127
            fi
            if [ $rc -ne 0 ] || [ "$method" = HEAD ]; then rm -f -- "$tmp"; fi
            printf '%s\\n%s\\n' "$tmp" "$out"
            exit $rc
            """;

    /** $1 temp file, $2 dest: keep an existing dest's mode/owner, else the umask default, then rename. */
    static final String INSTALL = """
            if [ -e "$2" ]; then chmod --reference="$2" -- "$1" && chown --reference="$2" -- "$1" 2>/dev/null
            else chmod "$(printf '%o' $(( 0666 & ~$(umask) )))" -- "$1"; fi
            mv -f -- "$1" "$2"
            """;

    public GetUrlModule() {
        super("get_url", SPEC, CheckMode.PARTIAL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        return getUrl(ctx, args);
    }

    private Result getUrl(ModuleContext ctx, Args args) {
        String url = args.str("url");
        String dest = args.str("dest");
        boolean force = args.bool("force");
        String algorithm = null;
        String expected = null;
        String checksum = args.str("checksum");
        if (!checksum.isEmpty()) {
            int colon = checksum.indexOf(':');
            if (colon < 0) {
                return Result.failed("The checksum parameter has to be in format <algorithm>:<checksum>");
            }
            algorithm = checksum.substring(0, colon).toLowerCase(Locale.ROOT);
            expected = checksum.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
            if (!ALGORITHMS.contains(algorithm)) {
                return Result.failed("Unsupported hash algorithm: " + algorithm + " (use one of "
                        + String.join(", ", new java.util.TreeSet<>(ALGORITHMS)) + ")");
            }
            if (expected.startsWith("http://") || expected.startsWith("https://") || !expected.matches("[0-9a-f]+")) {
                return Result.failed("The checksum format is invalid");
            }
        }
        Optional<FileStat> st = FileSupport.stat(ctx, dest);
        if (st.isPresent() && st.get().isDirectory()) {
            dest = FileSupport.join(dest, urlFilename(url));
            st = FileSupport.stat(ctx, dest);
        }
        Map<String, Object> data = Result.data("url", url, "dest", dest);
        String owner = args.str("owner");
        String group = args.str("group");
        boolean conditional = false;
        if (st.isPresent() && st.get().isFile()) {
            if (expected != null && !force) {
                String have = digestOnHost(ctx, algorithm, dest);
                if (expected.equals(have)) {
                    boolean attrs = FileAttributes.fixAttributes(ctx, dest, st.get(),
                            FileModes.mode(args.raw("mode"), st.get().mode(), false), owner, group, false);
                    data.putAll(ctx.check() ? Map.of() : FileAttributes.attributes(ctx, dest, "dest"));
                    data.put("checksum_dest", st.get().sha1());
                    String msg = attrs ? "file already exists but file attributes changed" : "file already exists";
                    data.put("msg", msg);
                    return attrs ? new Result.Changed(msg, data, List.of()) : new Result.Ok(msg, data);
                }
                force = true; // a wrong checksum forces the download
            }
            conditional = !force;
        }
        String dir = FileSupport.dirname(dest);
        if (!dir.isEmpty() && FileSupport.stat(ctx, dir).filter(FileStat::isDirectory).isEmpty()) {
            return Result.failed("Destination " + dir + " does not exist", data);
        }
        long start = System.nanoTime();
        int timeout = args.integer("timeout", 10);
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", DOWNLOAD, "get_url", url, dest,
                String.valueOf(timeout), conditional ? "1" : "0", ctx.check() ? "HEAD" : "GET",
                args.bool("validate_certs") ? "0" : "1"));
        argv.addAll(headers(args.dict("headers")));
        ExecResult r = ctx.exec(new ExecRequest(argv, null, null, null, ctx.become(),
                Duration.ofSeconds(timeout + 30L)));
        data.put("elapsed", (System.nanoTime() - start) / 1_000_000_000L);
        String[] out = r.stdout().split("\n");
        if (!r.ok() || out.length < 2) {
            String err = r.stderr().strip();
            return Result.failed(err.isEmpty() ? "Request failed (rc=" + r.exitCode() + ")" : err, data);
        }
        String tmp = out[0];
        String[] codeSize = out[1].strip().split(" ");
        int status = parseStatus(codeSize[0], url);
        long bytes = codeSize.length > 1 ? (long) Double.parseDouble(codeSize[1]) : 0;
        data.put("status_code", status);
        if (status == 304) {
            HostCommands.run(ctx, List.of("rm", "-f", "--", tmp));
            String msg = "HTTP Error 304: Not Modified";
            data.put("msg", msg);
            return new Result.Ok(msg, data);
        }
        if (status != 200) {
            HostCommands.run(ctx, List.of("rm", "-f", "--", tmp));
            data.put("response", "HTTP Error " + status);
            return Result.failed("Request failed", data);
        }
        String msg = "OK (" + bytes + " bytes)";
        data.put("msg", msg);
        if (ctx.check()) {
            // like Ansible: the HEAD answer says nothing about content, so an existing dest counts as changed
            return new Result.Changed(msg, data, List.of());
        }
        String srcSum = FileSupport.must(HostCommands.run(ctx, List.of("sha1sum", "--", tmp)), "sha1sum")
                .stdout().split(" ")[0];
        data.put("checksum_src", srcSum);
        if (st.isPresent()) {
            data.put("checksum_dest", st.get().sha1());
        }
        if (expected != null) {
            String got = digestOnHost(ctx, algorithm, tmp);
            if (!expected.equals(got)) {
                HostCommands.run(ctx, List.of("rm", "-f", "--", tmp));
                return Result.failed("The checksum for " + dest + " did not match " + expected + "; it was " + got
                        + ".", data);
            }
        }
        boolean changed = st.isEmpty() || !srcSum.equals(st.get().sha1());
        if (changed) {
            if (args.bool("backup") && st.isPresent()) {
                data.put("backup_file", AtomicPut.backup(ctx, dest));
            }
            FileSupport.must(HostCommands.script(ctx, INSTALL, tmp, dest), "moving the download to " + dest);
        } else {
            HostCommands.run(ctx, List.of("rm", "-f", "--", tmp));
        }
        FileStat now = FileSupport.stat(ctx, dest).orElseThrow();
        changed |= FileAttributes.fixAttributes(ctx, dest, now, FileModes.mode(args.raw("mode"), now.mode(), false),
                owner, group, false);
        data.putAll(FileAttributes.attributes(ctx, dest, "dest"));
        return changed ? new Result.Changed(msg, data, List.of()) : new Result.Ok(msg, data);
    }

    private static int parseStatus(String code, String url) {
        int c = Integer.parseInt(code);
        // file:// and ftp:// have no HTTP status; curl reports 0 (file) or 226/250 (ftp) on success
        if (c == 0 && url.startsWith("file:")) {
            return 200;
        }
        return url.startsWith("ftp:") && c >= 200 && c < 300 ? 200 : c;
    }

    private static String digestOnHost(ModuleContext ctx, String algorithm, String path) {
        ExecResult r = HostCommands.run(ctx, List.of(algorithm + "sum", "--", path));
        return r.ok() ? r.stdout().split(" ")[0] : null;
    }

    /**
     * curl's {@code Name: value} lines for the {@code headers} dict, read as Ansible's type dict reads it: a mapping,
     * JSON or {@code k=v} text; the old "Name:value,Name2:value2" text is refused, as ansible-core 2.14 refuses it.
     */
    static List<String> headers(Map<?, ?> headers) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<?, ?> e : headers.entrySet()) {
            out.add(e.getKey() + ": " + e.getValue());
        }
        for (String h : out) {
            if (h.contains("\n") || h.contains("\r")) {
                throw new BadArgument("headers must not contain line breaks");
            }
        }
        return out;
    }

    /** Ansible's url_filename: the last path segment, or index.html. */
    static String urlFilename(String url) {
        String path;
        try {
            path = URI.create(url).getPath();
        } catch (IllegalArgumentException e) {
            path = url;
        }
        String fn = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return fn.isEmpty() ? "index.html" : fn;
    }
}
