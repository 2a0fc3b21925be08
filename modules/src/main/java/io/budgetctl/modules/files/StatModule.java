package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.HostCommands;
import io.budgetctl.modules.ModuleBase;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code stat}: facts about a path on the host, under the registered key {@code stat}, with Ansible's key names and
 * value types. One {@code /bin/sh} script run: GNU {@code stat -c}, {@code test -r/-w/-x}, {@code realpath},
 * {@code readlink}, {@code <algo>sum} and (when installed) {@code file --mime-type}. See docs/modules.md.
 */
public final class StatModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("path", Arg.required("path").withAliases("dest", "name"))
            .arg("follow", Arg.of("bool").withDefault(false))
            .arg("get_checksum", Arg.of("bool").withDefault(true))
            .arg("checksum_algorithm", Arg.of("str").withDefault("sha1")
                    .withChoices("md5", "sha1", "sha224", "sha256", "sha384", "sha512")
                    .withAliases("checksum", "checksum_algo"))
            .arg("get_mime", Arg.of("bool").withDefault(true).withAliases("mime", "mime_type", "mime-type"))
            .arg("get_attributes", Arg.of("bool").withDefault(true).withAliases("attr", "attributes"))
            .build();

    /**
     * $1 path, $2 follow (1/0), $3 checksum command or empty, $4 mime (1/0). Prints NUL-separated fields: the stat
     * line, access bits, realpath and readlink (links only), checksum, mime line. Exit 3 when missing.
     */
    static final String SCRIPT = """
            p="$1"
            if [ "$2" = 1 ]; then [ -e "$p" ] || exit 3; L=-L; else { [ -e "$p" ] || [ -L "$p" ]; } || exit 3; L=; fi
            s=$(stat $L -c '%f|%u|%g|%U|%G|%s|%i|%d|%h|%.9X|%.9Y|%.9Z|%b|%B|%r' -- "$p") || exit 4
            a=; [ -r "$p" ] && a=${a}r; [ -w "$p" ] && a=${a}w; [ -x "$p" ] && a=${a}x
            ls=; lt=
            if [ "$2" != 1 ] && [ -L "$p" ]; then ls=$(realpath -m -- "$p"); lt=$(readlink -- "$p"); fi
            c=
            if [ -n "$3" ] && [ -f "$p" ] && [ -r "$p" ] && { [ "$2" = 1 ] || [ ! -L "$p" ]; }; then
              c=$("$3" -- "$p" | cut -d' ' -f1)
            fi
            m=
            if [ "$4" = 1 ] && command -v file >/dev/null 2>&1; then m=$(file -b --mime-type --mime-encoding -- "$p" 2>/dev/null); fi
            printf '%s\\0%s\\0%s\\0%s\\0%s\\0%s\\0' "$s" "$a" "$ls" "$lt" "$c" "$m"
            """;

    public StatModule() {
        super("stat", SPEC, CheckMode.FULL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        return stat(ctx, args);
    }

    private Result stat(ModuleContext ctx, Args args) {
        String path = args.str("path");
        boolean follow = args.bool("follow");
        String algo = args.str("checksum_algorithm");
        boolean checksum = args.bool("get_checksum");
        boolean mime = args.bool("get_mime");
        ExecResult r = HostCommands.script(ctx, SCRIPT, path, follow ? "1" : "0", checksum ? algo + "sum" : "",
                mime ? "1" : "0");
        if (r.exitCode() == 3) {
            return Result.ok(Result.data("stat", Result.data("exists", false)));
        }
        if (!r.ok()) {
            return Result.failed(r.stderr().isBlank() ? "stat " + path + " failed (rc=" + r.exitCode() + ")"
                    : r.stderr().strip());
        }
        String[] part = r.stdout().split("\0", -1);
        String[] f = part[0].split("\\|", -1);
        int raw = Integer.parseInt(f[0], 16);
        int type = raw & 0170000;
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("exists", true);
        st.put("path", path);
        st.put("mode", String.format("%04o", raw & 07777));
        st.put("isdir", type == 0040000);
        st.put("ischr", type == 0020000);
        st.put("isblk", type == 0060000);
        st.put("isreg", type == 0100000);
        st.put("isfifo", type == 0010000);
        st.put("islnk", type == 0120000);
        st.put("issock", type == 0140000);
        st.put("uid", Integer.parseInt(f[1]));
        st.put("gid", Integer.parseInt(f[2]));
        st.put("size", Long.parseLong(f[5]));
        st.put("inode", Long.parseLong(f[6]));
        st.put("dev", Long.parseLong(f[7]));
        st.put("nlink", Integer.parseInt(f[8]));
        st.put("atime", Double.parseDouble(f[9]));
        st.put("mtime", Double.parseDouble(f[10]));
        st.put("ctime", Double.parseDouble(f[11]));
        String[] bits = {"wusr", "rusr", "xusr", "wgrp", "rgrp", "xgrp", "woth", "roth", "xoth"};
        int[] masks = {0200, 0400, 0100, 020, 040, 010, 02, 04, 01};
        for (int i = 0; i < bits.length; i++) {
            st.put(bits[i], (raw & masks[i]) != 0);
        }
        st.put("isuid", (raw & 04000) != 0);
        st.put("isgid", (raw & 02000) != 0);
        st.put("blocks", Long.parseLong(f[12]));
        st.put("block_size", Integer.parseInt(f[13]));
        st.put("device_type", Long.parseLong(f[14]));
        st.put("readable", part[1].contains("r"));
        st.put("writeable", part[1].contains("w"));
        st.put("executable", part[1].contains("x"));
        if (type == 0120000) {
            st.put("lnk_source", part[2]);
            st.put("lnk_target", part[3]);
        }
        // like Python's pwd/grp lookups: no name when the id has no entry (stat prints UNKNOWN)
        if (!f[3].equals("UNKNOWN")) {
            st.put("pw_name", f[3]);
        }
        if (!f[4].equals("UNKNOWN")) {
            st.put("gr_name", f[4]);
        }
        if (!part[4].isEmpty()) {
            st.put("checksum", part[4]);
        }
        if (mime) {
            st.put("mimetype", "unknown");
            st.put("charset", "unknown");
            int semi = part[5].indexOf(';');
            if (semi > 0 && part[5].indexOf("charset=", semi) > 0) {
                st.put("mimetype", part[5].substring(0, semi).strip());
                st.put("charset", part[5].substring(part[5].indexOf("charset=", semi) + 8).strip());
            }
        }
        if (args.bool("get_attributes")) {
            st.put("version", null);
            st.put("attributes", java.util.List.of());
            st.put("attr_flags", "");
        }
        return Result.ok(Result.data("stat", st));
    }
}
