package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.connection.FileStat;
import io.budgetctl.engine.module.ModuleContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one {@link #probe} run learnt about a path: its {@link FileStat} (empty when absent) with the numeric ids and
 * stat's file type text (for {@link #attributes}), and, when asked, the type of its parent directory and the file's
 * content. Everything the file modules need to know about a path before deciding costs one command on the host
 * ({@link #SCRIPT}); scripts that act on what they learnt start with that script and print after it.
 *
 * <p>{@link #probe} and {@link #readContent} are public because cron reads a {@code cron_file} the way the file
 * modules read theirs; the script and its parsing stay with the file modules.
 */
public record FileProbe(String path, Optional<FileStat> stat, int uid, int gid, String typeText, String parentType,
                 byte[] content, boolean otherExists) {
    boolean exists() {
        return stat.isPresent();
    }

    /** The probe an {@link AtomicPut#put} result amounts to (no checksum, no content). */
    static FileProbe of(String path, Map<String, Object> attributes) {
        String state = String.valueOf(attributes.get("state"));
        String type = switch (state) {
            case "file", "directory", "link" -> state;
            case "hard" -> "file";
            default -> "other";
        };
        return new FileProbe(path, Optional.of(new FileStat(path, type, (String) attributes.get("mode"),
                (String) attributes.get("owner"), (String) attributes.get("group"),
                ((Number) attributes.get("size")).longValue(), 0, null, null)),
                (Integer) attributes.get("uid"), (Integer) attributes.get("gid"), state, null, null, false);
    }

    boolean parentIsDirectory() {
        return "directory".equals(parentType);
    }

    /**
     * Ansible's file attributes of the path, as {@link FileAttributes#attributes} reports them, without asking again.
     */
    Map<String, Object> attributes(String key) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(key, path);
        if (stat.isEmpty()) {
            out.put("state", "absent");
            return out;
        }
        FileStat s = stat.get();
        out.put("state", FileAttributes.stateText(typeText));
        out.put("mode", s.mode());
        out.put("owner", s.owner());
        out.put("group", s.group());
        out.put("uid", uid);
        out.put("gid", gid);
        out.put("size", s.size());
        return out;
    }

    /**
     * The file's content: what the probe brought, else read now (a path that is not a readable regular file is read
     * the way it always was, through a link as a read does).
     */
    public byte[] readContent(ModuleContext ctx) {
        return content != null ? content : ctx.connection().read(path, ctx.become()).orElse(new byte[0]);
    }

    /**
     * $1 path; $2 flags: d = also the parent directory's type, c = also the content (base64) of a regular file,
     * e = also whether $3 exists. Prints NUL-terminated fields: type (or absent), then for an existing path stat's
     * {@code %F|%a|%U|%G|%u|%g|%s|%Y}, the sha1 of a regular file and a link's target; then the asked extras.
     * Exit 4 when stat itself fails, 5 when the content cannot be read.
     */
    static final String SCRIPT = """
            p="$1"
            if [ -L "$p" ]; then t=link; elif [ -d "$p" ]; then t=directory; elif [ -f "$p" ]; then t=file; \
            elif [ -e "$p" ]; then t=other; else t=absent; fi
            if [ "$t" = absent ]; then printf 'absent\\0'; else
              s=$(stat -c '%F|%a|%U|%G|%u|%g|%s|%Y|%h' -- "$p") || exit 4
              h=; l=
              if [ "$t" = file ]; then h=$(sha1sum -- "$p" 2>/dev/null) || h=; h=${h%% *}; fi
              if [ "$t" = link ]; then l=$(readlink -- "$p"); fi
              printf '%s\\0%s\\0%s\\0%s\\0' "$t" "$s" "$h" "$l"
            fi
            case "$2" in *d*)
              case "$p" in */) d=$(dirname -- "$p");; /*/*) d=${p%/*};; /*) d=/;; */*) d=${p%/*};; *) d=.;; esac
              if [ -d "$d" ]; then pt=directory; elif [ -e "$d" ]; then pt=other; else pt=absent; fi
              printf '%s\\0' "$pt";;
            esac
            case "$2" in *e*) if [ -e "$3" ] || [ -L "$3" ]; then o=yes; else o=no; fi; printf '%s\\0' "$o";; esac
            case "$2" in *c*) if [ -f "$p" ]; then printf y; base64 -w0 -- "$p" || exit 5; fi; printf '\\0';; esac
            """;

    /**
     * Everything the file modules need to know about {@code path} before deciding, in one command on the host (what
     * {@link FileSupport#stat} plus {@link FileAttributes#attributes}, a stat of the parent and a read would otherwise
     * ask in four): {@code parent} adds the parent directory's type, {@code content} the bytes of a regular file (or
     * of the file a symlink points to, as a read would), {@code other} (may be null) whether that second path exists.
     */
    public static FileProbe probe(ModuleContext ctx, String path, boolean parent, boolean content, String other) {
        String flags = flags(parent, content, other);
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "probe", path, flags));
        if (other != null) {
            argv.add(other);
        }
        ExecResult r = ctx.connection().exec(new ExecRequest(argv, null, null, null, ctx.become(), null));
        return parse(path, r, parent, content, other);
    }

    static String flags(boolean parent, boolean content, String other) {
        return (parent ? "d" : "") + (content ? "c" : "") + (other != null ? "e" : "");
    }

    /**
     * What a script printed after the fields of {@link #SCRIPT} it started with (run with the same flags):
     * the probe's fields are counted, never searched for, so a link target or file name cannot pass for a marker.
     */
    static String afterProbe(String out, boolean parent, boolean content, boolean other) {
        int fields = 1 + (parent ? 1 : 0) + (content ? 1 : 0) + (other ? 1 : 0);
        int end = out.indexOf('\0');
        if (end >= 0 && !out.substring(0, end).equals("absent")) {
            fields += 3; // stat line, sha1, link target
        }
        int pos = 0;
        for (int i = 0; i < fields; i++) {
            int next = out.indexOf('\0', pos);
            if (next < 0) {
                return "";
            }
            pos = next + 1;
        }
        return out.substring(pos);
    }

    /** What a run of {@link #SCRIPT} (possibly followed by more output, or behind a prefix) printed. */
    static FileProbe parse(String path, ExecResult r, boolean parent, boolean content, String other) {
        if (!r.ok() || r.truncated()) {
            throw new IllegalStateException((r.exitCode() == 5 ? "read " : "stat ") + path + " failed: "
                    + (r.truncated() ? "output too large" : r.stderr().strip()));
        }
        String[] f = r.stdout().split("\0", -1);
        int i = 0;
        Optional<FileStat> st = Optional.empty();
        String typeText = null;
        int uid = -1;
        int gid = -1;
        String type = f[i++];
        if (!type.equals("absent")) {
            String[] s = f[i++].split("\\|", 9);
            String sha1 = f[i++];
            String link = f[i++];
            typeText = FileAttributes.hardLinked(s[0], s.length > 8 ? s[8] : "1");
            uid = Integer.parseInt(s[4]);
            gid = Integer.parseInt(s[5]);
            st = Optional.of(new FileStat(path, type, String.format("%04o", Integer.parseInt(s[1], 8)), s[2], s[3],
                    Long.parseLong(s[6]), Long.parseLong(s[7]), sha1.isEmpty() ? null : sha1,
                    link.isEmpty() ? null : link));
        }
        String parentType = parent ? f[i++] : null;
        boolean otherExists = other != null && f[i++].equals("yes");
        byte[] bytes = null;
        if (content && f[i].startsWith("y")) {
            bytes = java.util.Base64.getDecoder().decode(f[i].substring(1));
        }
        return new FileProbe(path, st, uid, gid, typeText, parentType, bytes, otherExists);
    }
}
