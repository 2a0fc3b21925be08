package io.budgetctl.modules;

import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.connection.FileStat;
import io.budgetctl.engine.connection.ShellConnection;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Shared pieces of the file modules (copy, template, file, lineinfile, blockinfile, get_url, unarchive): mode
 * arithmetic, attribute fixing with chmod/chown/chgrp, backups and {@code validate} runs (their arguments come typed
 * from ArgSpec through {@link ModuleBase}). Everything on the host goes through argv lists; user values only ever travel as
 * positional arguments.
 */
final class FileSupport {
    private FileSupport() {
    }

    /** A bad argument value; modules turn it into a failed result with this message. */
    static final class BadArgument extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadArgument(String msg) {
            super(msg);
        }
    }

    // ---- modes ---------------------------------------------------------------------------------------------------

    /**
     * The permission bits a {@code mode:} argument asks for, as a 4-digit octal string, given the path's current mode
     * ({@code null} when it does not exist yet: then the umask default 0644/0755 is the base for symbolic modes).
     * Returns null when no mode was given.
     *
     * <p>Integers: playbooks are read as YAML 1.1 like Ansible does, so {@code mode: 0644} arrives as the number 420
     * and is used as that number, exactly like Ansible. {@code mode: 644} without the leading zero is the decimal
     * number 644 = octal 1204, again as in Ansible (the linter warns about it).
     */
    static String mode(Object raw, String currentMode, boolean isDir) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof Number n) {
            long v = n.longValue();
            if (v < 0 || v > 07777) {
                throw new BadArgument("mode must be in octal or symbolic form; got " + v);
            }
            return String.format("%04o", v);
        }
        String s = String.valueOf(raw).trim();
        if (s.matches("(0o)?[0-7]{1,4}")) {
            return ShellConnection.normaliseMode(s);
        }
        if (s.equals("preserve")) {
            throw new BadArgument("mode 'preserve' is only valid for copy and template with a controller-side src");
        }
        int base = currentMode != null ? Integer.parseInt(currentMode, 8) : (isDir ? 0755 : 0644);
        return String.format("%04o", symbolic(s, base, isDir));
    }

    /** chmod(1)-style symbolic modes: comma-separated {@code [ugoa]*[-+=][rwxXst]*|[ugo]} clauses. */
    static int symbolic(String spec, int base, boolean isDir) {
        int mode = base & 07777;
        for (String clause : spec.split(",")) {
            int i = 0;
            int who = 0;
            while (i < clause.length() && "ugoa".indexOf(clause.charAt(i)) >= 0) {
                who |= switch (clause.charAt(i)) {
                    case 'u' -> 04700;
                    case 'g' -> 02070;
                    case 'o' -> 01007;
                    default -> 07777;
                };
                i++;
            }
            if (who == 0) {
                who = 07777; // like Ansible: no "who" means a (the umask is not applied)
            }
            if (i >= clause.length() || "+-=".indexOf(clause.charAt(i)) < 0) {
                throw new BadArgument("bad symbolic permission for mode: " + spec);
            }
            while (i < clause.length()) {
                char op = clause.charAt(i++);
                if ("+-=".indexOf(op) < 0) {
                    throw new BadArgument("bad symbolic permission for mode: " + spec);
                }
                int perm = 0;
                while (i < clause.length() && "+-=".indexOf(clause.charAt(i)) < 0) {
                    char p = clause.charAt(i++);
                    perm |= switch (p) {
                        case 'r' -> 0444;
                        case 'w' -> 0222;
                        case 'x' -> 0111;
                        case 'X' -> (isDir || (mode & 0111) != 0) ? 0111 : 0;
                        case 's' -> 06000;
                        case 't' -> 01000;
                        case 'u' -> copyBits((mode >> 6) & 7);
                        case 'g' -> copyBits((mode >> 3) & 7);
                        case 'o' -> copyBits(mode & 7);
                        default -> throw new BadArgument("bad symbolic permission for mode: " + spec);
                    };
                }
                perm &= who;
                switch (op) {
                    case '+' -> mode |= perm;
                    case '-' -> mode &= ~perm;
                    default -> mode = (mode & ~who) | perm;
                }
            }
        }
        return mode;
    }

    private static int copyBits(int rwx) {
        return rwx * 0111;
    }

    // ---- host commands -------------------------------------------------------------------------------------------

    /** Runs a fixed script with positional arguments ($1...) as the task's become user. */
    static ExecResult script(ModuleContext ctx, String script, String... positional) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", script, "budgetctl"));
        argv.addAll(List.of(positional));
        return ctx.exec(new ExecRequest(argv, null, null, null, ctx.become(), null));
    }

    static ExecResult run(ModuleContext ctx, List<String> argv) {
        return ctx.exec(new ExecRequest(argv, null, null, null, ctx.become(), null));
    }

    static Optional<FileStat> stat(ModuleContext ctx, String path) {
        return ctx.connection().stat(path, ctx.become());
    }

    // ---- one-exec probe and put ----------------------------------------------------------------------------------

    /**
     * What one {@link #probe} run learnt about a path: its {@link FileStat} (empty when absent) with the numeric ids
     * and stat's file type text (for {@link #attributes}), and, when asked, the type of its parent directory and the
     * file's content.
     */
    record Probe(String path, Optional<FileStat> stat, int uid, int gid, String typeText, String parentType, byte[] content,
                 boolean otherExists) {
        boolean exists() {
            return stat.isPresent();
        }

        /** The probe a {@link #put} result amounts to (no checksum, no content). */
        static Probe of(String path, Map<String, Object> attributes) {
            String state = String.valueOf(attributes.get("state"));
            String type = switch (state) {
                case "file", "directory", "link" -> state;
                case "hard" -> "file";
                default -> "other";
            };
            return new Probe(path, Optional.of(new FileStat(path, type, (String) attributes.get("mode"),
                    (String) attributes.get("owner"), (String) attributes.get("group"),
                    ((Number) attributes.get("size")).longValue(), 0, null, null)),
                    (Integer) attributes.get("uid"), (Integer) attributes.get("gid"), state, null, null, false);
        }

        boolean parentIsDirectory() {
            return "directory".equals(parentType);
        }

        /** Ansible's file attributes of the path, as {@link #attributes} reports them, without asking again. */
        Map<String, Object> attributes(String key) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put(key, path);
            if (stat.isEmpty()) {
                out.put("state", "absent");
                return out;
            }
            FileStat s = stat.get();
            out.put("state", stateText(typeText));
            out.put("mode", s.mode());
            out.put("owner", s.owner());
            out.put("group", s.group());
            out.put("uid", uid);
            out.put("gid", gid);
            out.put("size", s.size());
            return out;
        }
    }

    /**
     * $1 path; $2 flags: d = also the parent directory's type, c = also the content (base64) of a regular file,
     * e = also whether $3 exists. Prints NUL-terminated fields: type (or absent), then for an existing path stat's
     * {@code %F|%a|%U|%G|%u|%g|%s|%Y}, the sha1 of a regular file and a link's target; then the asked extras.
     * Exit 4 when stat itself fails, 5 when the content cannot be read.
     */
    static final String PROBE_SCRIPT = """
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
     * {@link #stat} plus {@link #attributes}, a stat of the parent and a read would otherwise ask in four):
     * {@code parent} adds the parent directory's type, {@code content} the bytes of a regular file (or of the file a
     * symlink points to, as a read would), {@code other} (may
     * be null) whether that second path exists.
     */
    static Probe probe(ModuleContext ctx, String path, boolean parent, boolean content, String other) {
        String flags = probeFlags(parent, content, other);
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", PROBE_SCRIPT, "probe", path, flags));
        if (other != null) {
            argv.add(other);
        }
        ExecResult r = ctx.connection().exec(new ExecRequest(argv, null, null, null, ctx.become(), null));
        return parseProbe(path, r, parent, content, other);
    }

    static String probeFlags(boolean parent, boolean content, String other) {
        return (parent ? "d" : "") + (content ? "c" : "") + (other != null ? "e" : "");
    }

    /**
     * What a script printed after the fields of {@link #PROBE_SCRIPT} it started with (run with the same flags):
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

    /** What a run of {@link #PROBE_SCRIPT} (possibly followed by more output, or behind a prefix) printed. */
    static Probe parseProbe(String path, ExecResult r, boolean parent, boolean content, String other) {
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
            typeText = hardLinked(s[0], s.length > 8 ? s[8] : "1");
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
        return new Probe(path, st, uid, gid, typeText, parentType, bytes, otherExists);
    }

    /**
     * $1 path, $2 directory, $3 basename, $4 mode, $5 owner, $6 group, $7 backup name (empty: none); content on
     * stdin. Writes a temporary file next to the path, sets its mode (an existing file's mode when none is asked,
     * else the umask default), owner and group, backs the old file up, renames it over the path, and prints the
     * result's {@code %F|%a|%U|%G|%u|%g|%s}. Exit 6 when the backup fails.
     */
    static final String PUT_SCRIPT = """
            set -e
            p="$1"
            t=$(mktemp "$2/.$3.budgetctl.XXXXXX")
            trap 'rm -f -- "$t"' EXIT
            cat > "$t"
            if [ -n "$4" ]; then chmod "$4" "$t"; elif [ -f "$p" ]; then chmod "$(stat -c %a -- "$p")" "$t"; \
            else chmod "$(printf '%o' $(( 0666 & ~$(umask) )))" "$t"; fi
            if [ -n "$5" ]; then chown "$5" "$t"; fi
            if [ -n "$6" ]; then chgrp "$6" "$t"; fi
            if [ -n "$7" ] && [ -f "$p" ]; then cp -p -- "$p" "$7" || exit 6; fi
            mv -f -- "$t" "$p"
            trap - EXIT
            stat -c '%F|%a|%U|%G|%u|%g|%s|%h' -- "$p"
            """;

    /**
     * Content this small travels with the probe ({@link #PUT_IF_CHANGED_SCRIPT}): it fits a pipe buffer and the SSH
     * channel window, so sending it when it turns out to be unchanged costs nothing noticeable, and a changed file
     * then needs no second command.
     */
    static final int ONE_SHOT_MAX_BYTES = 16 * 1024;

    /**
     * {@link #PROBE_SCRIPT} (flags {@code d}), then, unless the path is a directory, exists while $9 (force) is 0,
     * already has sha1 $8, or its parent is not a directory, the same write as {@link #PUT_SCRIPT} with the content
     * on stdin: $4 mode, $5 owner, $6 group, $7 backup name (used when a regular file is replaced), ${10}
     * directory, ${11} basename. Prints {@code written}, the backup made (or nothing) and the result's attributes;
     * otherwise only what the probe printed. Exit 1 when the write fails, 6 when the backup does.
     */
    static final String PUT_IF_CHANGED_SCRIPT = PROBE_SCRIPT + """
            [ "$t" = directory ] && exit 0
            [ "$t" != absent ] && [ "$9" = 0 ] && exit 0
            [ "$t" = file ] && [ "$h" = "$8" ] && exit 0
            [ "$pt" = directory ] || exit 0
            n=$(mktemp "${10}/.${11}.budgetctl.XXXXXX") || exit 1
            trap 'rm -f -- "$n"' EXIT
            cat > "$n" || exit 1
            if [ -n "$4" ]; then chmod "$4" "$n" || exit 1; elif [ -f "$p" ]; then \
            chmod "$(stat -c %a -- "$p")" "$n" || exit 1; else chmod "$(printf '%o' $(( 0666 & ~$(umask) )))" "$n" \
            || exit 1; fi
            if [ -n "$5" ]; then chown "$5" "$n" || exit 1; fi
            if [ -n "$6" ]; then chgrp "$6" "$n" || exit 1; fi
            b=
            if [ -n "$7" ] && [ "$t" = file ]; then cp -p -- "$p" "$7" || exit 6; b=$7; fi
            mv -f -- "$n" "$p" || exit 1
            trap - EXIT
            printf 'written\\0%s\\0' "$b"
            stat -c '%F|%a|%U|%G|%u|%g|%s|%h' -- "$p"
            """;

    /** A mode that does not depend on the current one (numeric or octal text), as octal; null otherwise. */
    static String fixedMode(Object raw, boolean isDir) {
        if (raw instanceof Number || (raw != null && String.valueOf(raw).trim().matches("(0o)?[0-7]{1,4}"))) {
            try {
                return mode(raw, null, isDir);
            } catch (BadArgument e) {
                return null; // reported where the step-by-step path meets it, as before
            }
        }
        return null;
    }

    /**
     * Puts {@code content} at {@code path} in one command: upload on stdin to a temporary file in the same
     * directory, mode/owner/group, optional backup (Ansible's name, see {@link #backupName}), atomic rename. Returns
     * the written file's attributes under {@code key}. {@code mode} null keeps an existing file's mode.
     */
    static Map<String, Object> put(ModuleContext ctx, String path, byte[] content, String mode, String owner,
                                   String group, String backupName, String key) {
        String dir = dirname(path);
        List<String> argv = List.of("/bin/sh", "-c", PUT_SCRIPT, "put", path, dir.isEmpty() ? "." : dir,
                basename(path), mode == null ? "" : mode, owner == null ? "" : owner, group == null ? "" : group,
                backupName == null ? "" : backupName);
        ExecResult r = ctx.connection().exec(new ExecRequest(argv, content, null, null, ctx.become(), null));
        if (r.exitCode() == 6) {
            throw new BadArgument("backup of " + path + " failed: " + r.stderr().strip());
        }
        if (!r.ok()) {
            throw new IllegalStateException("write " + path + " failed: " + r.stderr().strip());
        }
        return attributesFrom(r.stdout(), path, key);
    }

    /**
     * Sets mode, owner and group where they differ from {@code current} (owner/group compared by name or numeric
     * id). In check mode only reports. Returns whether anything differs. {@code mode} is already resolved to octal.
     */
    static boolean fixAttributes(ModuleContext ctx, String path, FileStat current, String mode, String owner,
                                 String group, boolean noFollow) {
        return fixAttributes(ctx, path, current, mode, owner, group, noFollow, null, null);
    }

    /** As above when a {@link Probe} already knows the numeric ids: no extra command to look them up. */
    static boolean fixAttributes(ModuleContext ctx, Probe probe, String mode, String owner, String group,
                                 boolean noFollow) {
        return fixAttributes(ctx, probe.path(), probe.stat().orElseThrow(), mode, owner, group, noFollow,
                String.valueOf(probe.uid()), String.valueOf(probe.gid()));
    }

    private static boolean fixAttributes(ModuleContext ctx, String path, FileStat current, String mode,
                                         String owner, String group, boolean noFollow, String uid, String gid) {
        boolean changed = false;
        if (mode != null && !mode.equals(current.mode())) {
            changed = true;
            if (!ctx.check()) {
                must(run(ctx, List.of("chmod", mode, "--", path)), "chmod " + path);
            }
        }
        if (owner != null && !owner.equals(current.owner())
                && !owner.equals(uid != null ? uid : uidOf(ctx, path, current, "%u"))) {
            changed = true;
            if (!ctx.check()) {
                must(run(ctx, noFollow ? List.of("chown", "-h", owner, "--", path) : List.of("chown", owner, "--",
                        path)), "chown " + path);
            }
        }
        if (group != null && !group.equals(current.group())
                && !group.equals(gid != null ? gid : uidOf(ctx, path, current, "%g"))) {
            changed = true;
            if (!ctx.check()) {
                must(run(ctx, noFollow ? List.of("chgrp", "-h", group, "--", path) : List.of("chgrp", group, "--",
                        path)), "chgrp " + path);
            }
        }
        return changed;
    }

    private static String uidOf(ModuleContext ctx, String path, FileStat current, String fmt) {
        ExecResult r = run(ctx, List.of("stat", "-c", fmt, "--", path));
        return r.ok() ? r.stdout().strip() : null;
    }

    /** Throws a {@link BadArgument} (turned into a failed result) when a host command failed. */
    static ExecResult must(ExecResult r, String what) {
        if (!r.ok()) {
            String err = r.stderr().strip();
            throw new BadArgument(what + " failed" + (err.isEmpty() ? " (rc=" + r.exitCode() + ")" : ": " + err));
        }
        return r;
    }

    /** Ansible's backup name: {@code path.<pid>.<YYYY-MM-DD@HH:MM:SS>~}, a copy keeping mode and times. */
    static String backup(ModuleContext ctx, String path) {
        String name = backupName(path);
        must(run(ctx, List.of("cp", "-p", "--", path, name)), "backup of " + path);
        return name;
    }

    static String backupName(String path) {
        return path + "." + ProcessHandle.current().pid() + "."
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")) + "~";
    }

    /**
     * Runs {@code validate} (a command with %s, split like a shell would but never run by one) against
     * {@code content} written to a temporary file next to {@code dest}. Returns a failed result or null when valid.
     */
    static Result validate(ModuleContext ctx, String validate, byte[] content, String dest, String mode) {
        if (!validate.contains("%s")) {
            return Result.failed("validate must contain %s: " + validate);
        }
        ExecResult mk = script(ctx, "d=$(dirname -- \"$1\"); b=$(basename -- \"$1\"); "
                + "mktemp \"$d/.$b.budgetctl-validate.XXXXXX\"", dest);
        must(mk, "creating a temporary file for validate next to " + dest);
        String tmp = mk.stdout().strip();
        try {
            ctx.connection().write(tmp, content, mode, null, null, ctx.become());
            List<String> argv = new ArrayList<>();
            for (String word : splitWords(validate)) {
                argv.add(word.replace("%s", tmp));
            }
            ExecResult r = run(ctx, argv);
            if (!r.ok()) {
                return Result.failed("failed to validate", Result.data("exit_status", r.exitCode(),
                        "stdout", r.stdout(), "stderr", r.stderr()));
            }
            return null;
        } finally {
            run(ctx, List.of("rm", "-f", "--", tmp));
        }
    }

    /** POSIX-shell-like word splitting (quotes and backslashes), the way Ansible shlex-splits validate. */
    static List<String> splitWords(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < s.length() && "\"\\$`".indexOf(s.charAt(i + 1)) >= 0) {
                    cur.append(s.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new BadArgument("No closing quotation in: " + s);
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }

    // ---- results -------------------------------------------------------------------------------------------------

    /** Ansible's file attributes in a result: path/dest, state, mode, owner, group, uid, gid, size. */
    static Map<String, Object> attributes(ModuleContext ctx, String path, String key) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(key, path);
        ExecResult r = script(ctx, "[ -e \"$1\" ] || [ -L \"$1\" ] || exit 3; "
                + "stat -c '%F|%a|%U|%G|%u|%g|%s|%h' -- \"$1\"", path);
        if (r.exitCode() == 3) {
            out.put("state", "absent");
            return out;
        }
        if (!r.ok()) {
            return out;
        }
        return attributesFrom(r.stdout(), path, key);
    }

    /**
     * stat's {@code %F}, or {@code hard} for a regular file with more than one name ({@code %h} &gt; 1): Ansible's
     * file results say {@code state: hard} for those.
     */
    static String hardLinked(String typeText, String links) {
        return typeText.startsWith("regular") && Long.parseLong(links.strip()) > 1 ? "hard" : typeText;
    }

    /** Ansible's state name for stat's {@code %F} (or {@link #hardLinked}'s {@code hard}). */
    static String stateText(String typeText) {
        return typeText.startsWith("symbolic") ? "link" : typeText.equals("directory") ? "directory"
                : typeText.startsWith("regular") ? "file" : typeText;
    }

    /** {@link #attributes} from a {@code %F|%a|%U|%G|%u|%g|%s} line already printed by a script. */
    static Map<String, Object> attributesFrom(String line, String path, String key) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(key, path);
        String[] f = line.strip().split("\\|", 8);
        out.put("state", stateText(hardLinked(f[0], f.length > 7 ? f[7] : "1")));
        out.put("mode", String.format("%04o", Integer.parseInt(f[1], 8)));
        out.put("owner", f[2]);
        out.put("group", f[3]);
        out.put("uid", Integer.parseInt(f[4]));
        out.put("gid", Integer.parseInt(f[5]));
        out.put("size", Long.parseLong(f[6]));
        return out;
    }

    /** Text for --diff: UTF-8 content, or null for binary (NUL byte or not UTF-8), like Ansible's binary check. */
    static String diffText(byte[] content) {
        if (content == null) {
            return "";
        }
        for (byte b : content) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static String hex(String algorithm, byte[] data) {
        try {
            byte[] d = MessageDigest.getInstance(algorithm).digest(data);
            StringBuilder sb = new StringBuilder();
            for (byte b : d) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new BadArgument("unsupported checksum algorithm: " + algorithm);
        }
    }

    static String dirname(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? "" : i == 0 ? "/" : path.substring(0, i);
    }

    static String basename(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
