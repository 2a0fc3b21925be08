package io.budgetctl.modules.files;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code file}: makes a path a directory, an (existing) file, a symlink, absent, or touches it; sets mode, owner and
 * group. Uses mkdir, ln -s, rm, touch, chmod, chown and chgrp on the host. See docs/modules.md.
 */
public final class FileModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("path", Arg.required("path").withAliases("dest", "name"))
            .arg("state", Arg.of("str").withChoices("absent", "directory", "file", "hard", "link", "touch"))
            .arg("src", Arg.of("path"))
            .arg("mode", Arg.of("raw"))
            .arg("owner", Arg.of("str"))
            .arg("group", Arg.of("str"))
            .arg("recurse", Arg.of("bool").withDefault(false))
            .arg("force", Arg.of("bool").withDefault(false))
            .arg("follow", Arg.of("bool").withDefault(true))
            .arg("modification_time", Arg.of("str"))
            .arg("modification_time_format", Arg.of("str").withDefault(FileTimes.DEFAULT_FORMAT))
            .arg("access_time", Arg.of("str"))
            .arg("access_time_format", Arg.of("str").withDefault(FileTimes.DEFAULT_FORMAT))
            .build();

    public FileModule() {
        super("file", SPEC, CheckMode.FULL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        return file(ctx, args);
    }

    private Result file(ModuleContext ctx, Args args) {
        String path = args.str("path");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String src = args.str("src");
        String asked = args.str("state"); // null: decided below from what is there
        if ("hard".equals(asked)) {
            return hard(ctx, args, path, src);
        }
        FileProbe probe;
        String fixedMode = fixedMode(args.raw("mode"));
        if ("directory".equals(asked) && src == null && !ctx.check()
                && (fixedMode != null || !args.has("mode"))) {
            // one command: create the missing directory, or probe the existing path and carry on below
            FileTimes.request(args, "preserve"); // a bad time argument fails before anything is created
            String owner = args.str("owner");
            String group = args.str("group");
            ExecResult r = ctx.connection().exec(new io.budgetctl.engine.connection.ExecRequest(List.of("/bin/sh",
                    "-c", ENSURE_DIRECTORY_SCRIPT, "probe", path, "", "", fixedMode == null ? "" : fixedMode,
                    owner == null ? "" : owner, group == null ? "" : group), null, null, null, ctx.become(), null));
            if (r.exitCode() == 7 || r.exitCode() == 8 || r.stdout().startsWith("created\0")) {
                return created(ctx, args, path, r);
            }
            probe = FileProbe.parse(path, r, false, false, null);
        } else if (src != null && (asked == null || "link".equals(asked)) && !ctx.check()
                && !args.has("owner") && !args.has("group")
                && FileTimes.request(args, "preserve").nothing()) {
            // one command: a missing link is made right away; anything else is probed and decided below
            String absSrc = linkSource(path, src);
            ExecResult r = ctx.connection().exec(new io.budgetctl.engine.connection.ExecRequest(List.of("/bin/sh",
                    "-c", LINK_IF_ABSENT_SCRIPT, "probe", path, "e", absSrc,
                    args.bool("force") ? "1" : "0", src), null, null, null, ctx.become(), null));
            if (r.exitCode() == 9) {
                FileSupport.must(r, "ln -s " + path);
            }
            String linked = r.ok() ? FileProbe.afterProbe(r.stdout(), false, false, true) : "";
            if (linked.startsWith("linked\0")) {
                Map<String, Object> data = FileAttributes.attributesFrom(linked.substring(7), path, "dest");
                data.put("src", src);
                return Result.changed(data, new Result.Diff(path, "path: " + path + "\nstate: absent\n",
                        "path: " + path + "\nstate: link\nsrc: " + src + "\n"));
            }
            if (!linked.isEmpty()) {
                throw new IllegalStateException("unexpected output from ln on " + path + ": " + linked);
            }
            probe = FileProbe.parse(path, r, false, false, absSrc);
        } else {
            // one command: the path's stat and attributes, and for a link whether its source exists
            probe = FileProbe.probe(ctx, path, false, false, src == null ? null : linkSource(path, src));
        }
        Optional<FileStat> st = probe.stat();
        String prev = st.map(FileModule::stateOf).orElse("absent");
        String state = asked;
        if (state == null) {
            // Ansible: keep what is there; a given src means link
            state = src != null ? "link" : prev.equals("absent") ? "file" : prev;
        }
        if (src != null && !state.equals("link")) {
            return Result.failed("src option requires state to be 'link' or 'hard'");
        }
        if (args.bool("recurse") && !state.equals("directory")) {
            return Result.failed("recurse option requires state to be 'directory'");
        }
        return switch (state) {
            case "absent" -> absent(ctx, path, prev);
            case "directory" -> directory(ctx, args, path, probe, prev);
            case "file" -> existingFile(ctx, args, path, st, prev);
            case "link" -> link(ctx, args, path, src, probe, prev);
            case "touch" -> touch(ctx, args, path, st, prev);
            default -> Result.failed("value of state must be one of: absent, directory, file, hard, link, touch, got: "
                    + state);
        };
    }

    /** The result of {@link #MKDIRS_SCRIPT} or {@link #ENSURE_DIRECTORY_SCRIPT} creating {@code path}. */
    private Result created(ModuleContext ctx, Args args, String path, ExecResult r) {
        if (r.exitCode() == 7) {
            String[] f = r.stdout().split("\0", -1);
            return Result.failed("There was an issue creating " + f[0] + " as requested: "
                    + r.stderr().strip(), Result.data("path", path));
        }
        if (r.exitCode() == 8) {
            String[] f = r.stdout().split("\0", -1);
            String err = r.stderr().strip();
            throw new BadArgument(f[1] + " " + f[0] + " failed"
                    + (err.isEmpty() ? " (rc=1)" : ": " + err));
        }
        FileSupport.must(r, "mkdir " + path);
        FileTimes.Request times = FileTimes.request(args, "preserve");
        FileTimes.apply(ctx, path, times);
        Map<String, Object> data = times.nothing()
                ? FileAttributes.attributesFrom(r.stdout().substring(r.stdout().lastIndexOf('\0') + 1), path, "path")
                : FileAttributes.attributes(ctx, path, "path");
        return Result.changed(data, stateDiff(path, "absent", "directory"));
    }

    /** Where a link's {@code src} points, seen from the link's directory (what must exist without force). */
    static String linkSource(String path, String src) {
        return src.startsWith("/") ? src : FileSupport.join(FileSupport.dirname(path).isEmpty() ? "."
                : FileSupport.dirname(path), src);
    }

    /** A mode that does not depend on the current one (numeric or octal text), as octal; null otherwise. */
    static String fixedMode(Object raw) {
        return FileModes.fixedMode(raw, true);
    }

    /**
     * $1 path, $2 mode (octal, or empty), $3 owner, $4 group (empty: leave). Creates each missing component of the
     * path, top down, and gives every new one the mode, owner and group where they differ (what the step-by-step
     * Java path does with one command per step), then prints the path's {@code %F|%a|%U|%G|%u|%g|%s}. Exit 7 with
     * the directory on stdout when one cannot be created; exit 8 with directory and command when chmod, chown or
     * chgrp fails.
     */
    static final String MKDIRS_FUNCTION = """
            mk() {
              case "$1" in ''|/|.) return 0;; esac
              if [ -e "$1" ] || [ -L "$1" ]; then return 0; fi
              mk "$(dirname -- "$1")" || return
              mkdir -- "$1" || [ -d "$1" ] || { printf '%s\\0' "$1"; exit 7; }
              s=$(stat -c '%a|%U|%u|%G|%g' -- "$1") || exit 4
              m=${s%%|*}; r=${s#*|}; u=${r%%|*}; r=${r#*|}; ui=${r%%|*}; r=${r#*|}; g=${r%%|*}; gi=${r#*|}
              if [ -n "$M" ] && [ "$(printf '%04o' "0$m")" != "$M" ]; then
                chmod "$M" -- "$1" || { printf '%s\\0chmod\\0' "$1"; exit 8; }
              fi
              if [ -n "$O" ] && [ "$O" != "$u" ] && [ "$O" != "$ui" ]; then
                chown "$O" -- "$1" || { printf '%s\\0chown\\0' "$1"; exit 8; }
              fi
              if [ -n "$G" ] && [ "$G" != "$g" ] && [ "$G" != "$gi" ]; then
                chgrp "$G" -- "$1" || { printf '%s\\0chgrp\\0' "$1"; exit 8; }
              fi
            }
            """;

    static final String MKDIRS_SCRIPT = MKDIRS_FUNCTION + """
            M="$2"; O="$3"; G="$4"
            mk "$1"
            printf '\\0'
            stat -c '%F|%a|%U|%G|%u|%g|%s|%h' -- "$1"
            """;

    /**
     * {@code state: directory} in one command whether or not the directory exists: $1 path, $2 probe flags, $3
     * unused, $4 mode, $5 owner, $6 group. A missing path is created as {@link #MKDIRS_SCRIPT} does and
     * {@code created}, then its attributes, are printed; an existing one is probed ({@link FileProbe#SCRIPT})
     * and the module carries on as after any probe.
     */
    static final String ENSURE_DIRECTORY_SCRIPT = MKDIRS_FUNCTION + """
            if [ ! -e "$1" ] && [ ! -L "$1" ]; then
              M="$4"; O="$5"; G="$6"
              mk "$1"
              printf 'created\\0'
              stat -c '%F|%a|%U|%G|%u|%g|%s|%h' -- "$1"
              exit 0
            fi
            """ + FileProbe.SCRIPT;

    /**
     * {@link FileProbe#SCRIPT} (flags {@code e}, $3 the link source as seen from the link's directory), then,
     * when the path does not exist and $4 (force) is 1 or the source exists, {@code ln -sfn -- $5 $1} and
     * {@code linked} plus the link's attributes. Exit 9 when ln fails.
     */
    static final String LINK_IF_ABSENT_SCRIPT = FileProbe.SCRIPT + """
            [ "$t" = absent ] || exit 0
            [ "$4" = 1 ] || [ "$o" = yes ] || exit 0
            ln -sfn -- "$5" "$1" || exit 9
            printf 'linked\\0'
            stat -c '%F|%a|%U|%G|%u|%g|%s|%h' -- "$1"
            """;

    static String stateOf(FileStat s) {
        return s.isLink() ? "link" : s.isDirectory() ? "directory" : s.isFile() ? "file" : "other";
    }

    private static Result.Diff stateDiff(String path, String before, String after) {
        return new Result.Diff(path, "path: " + path + "\nstate: " + before + "\n",
                "path: " + path + "\nstate: " + after + "\n");
    }

    private Result absent(ModuleContext ctx, String path, String prev) {
        if (prev.equals("absent")) {
            return Result.ok(Result.data("path", path, "state", "absent"));
        }
        if (!ctx.check()) {
            FileSupport.must(HostCommands.run(ctx, List.of("rm", "-rf", "--", path)), "removing " + path);
        }
        return Result.changed(Result.data("path", path, "state", "absent"), stateDiff(path, prev, "absent"));
    }

    private Result directory(ModuleContext ctx, Args args, String path, FileProbe probe,
                             String prev) {
        Optional<FileStat> st = probe.stat();
        String owner = args.str("owner");
        String group = args.str("group");
        FileTimes.Request times = FileTimes.request(args, "preserve");
        if (prev.equals("link") && args.bool("follow")) {
            Optional<FileStat> target = FileSupport.stat(ctx, path + "/.");
            if (target.isPresent() && target.get().isDirectory()) {
                st = target;
                prev = "directory";
                probe = null;
            }
        }
        if (prev.equals("absent")) {
            Result.Diff diff = stateDiff(path, "absent", "directory");
            if (ctx.check()) {
                return Result.changed(Result.data("path", path, "state", "directory"), diff);
            }
            String fixedMode = fixedMode(args.raw("mode"));
            if (fixedMode != null || !args.has("mode")) {
                // the same steps as below, in one command on the host
                return created(ctx, args, path, HostCommands.script(ctx, MKDIRS_SCRIPT, path,
                        fixedMode == null ? "" : fixedMode, owner == null ? "" : owner, group == null ? "" : group));
            }
            // like Ansible: create each missing component and give every new one the requested attributes
            List<String> missing = new ArrayList<>();
            String cur = path;
            while (!cur.isEmpty() && !cur.equals("/") && FileSupport.stat(ctx, cur).isEmpty()) {
                missing.add(0, cur);
                cur = FileSupport.dirname(cur);
            }
            for (String dir : missing) {
                ExecResult r = HostCommands.run(ctx, List.of("mkdir", "--", dir));
                if (!r.ok() && FileSupport.stat(ctx, dir).filter(FileStat::isDirectory).isEmpty()) {
                    return Result.failed("There was an issue creating " + dir + " as requested: "
                            + r.stderr().strip(), Result.data("path", path));
                }
                FileStat now = FileSupport.stat(ctx, dir).orElseThrow();
                FileAttributes.fixAttributes(ctx, dir, now, FileModes.mode(args.raw("mode"), now.mode(), true),
                        owner, group, false);
            }
            FileTimes.apply(ctx, path, times);
            return Result.changed(FileAttributes.attributes(ctx, path, "path"), diff);
        }
        if (!prev.equals("directory")) {
            return Result.failed(path + " already exists as a " + prev, Result.data("path", path));
        }
        FileStat cur = st.orElseThrow();
        String mode = FileModes.mode(args.raw("mode"), cur.mode(), true);
        boolean changed = probe != null ? FileAttributes.fixAttributes(ctx, probe, mode, owner, group, false)
                : FileAttributes.fixAttributes(ctx, path, cur, mode, owner, group, false);
        changed |= FileTimes.apply(ctx, path, times);
        boolean recurse = args.bool("recurse");
        if (recurse) {
            changed |= recurse(ctx, path, args.raw("mode"), owner, group);
        }
        if (ctx.check()) {
            return Result.of(changed, Result.data("path", path, "state", "directory"));
        }
        // nothing was run that could change what the probe saw: its attributes are the answer
        boolean untouched = !changed && probe != null && times.nothing() && !recurse;
        return Result.of(changed, untouched ? probe.attributes("path") : FileAttributes.attributes(ctx, path, "path"));
    }

    /**
     * Applies mode/owner/group below {@code path} (not following links). Lists what differs with one find(1) run, then
     * fixes each path (or, in check mode, only reports).
     */
    private boolean recurse(ModuleContext ctx, String path, Object modeArg, String owner, String group) {
        ExecResult r = FileSupport.must(HostCommands.run(ctx, List.of("find", path, "-mindepth", "1",
                "-printf", "%y|%m|%u|%g|%U|%G|%p\\0")), "listing " + path);
        boolean changed = false;
        for (String entry : r.stdout().split("\0")) {
            if (entry.isEmpty()) {
                continue;
            }
            String[] f = entry.split("\\|", 7);
            boolean isLink = f[0].equals("l");
            boolean isDir = f[0].equals("d");
            String curMode = String.format("%04o", Integer.parseInt(f[1], 8));
            String mode = isLink ? null : FileModes.mode(modeArg, curMode, isDir);
            List<List<String>> cmds = new ArrayList<>();
            if (mode != null && !mode.equals(curMode)) {
                cmds.add(List.of("chmod", mode, "--", f[6]));
            }
            if (owner != null && !owner.equals(f[2]) && !owner.equals(f[4])) {
                cmds.add(List.of("chown", "-h", owner, "--", f[6]));
            }
            if (group != null && !group.equals(f[3]) && !group.equals(f[5])) {
                cmds.add(List.of("chgrp", "-h", group, "--", f[6]));
            }
            changed |= !cmds.isEmpty();
            if (!ctx.check()) {
                for (List<String> c : cmds) {
                    FileSupport.must(HostCommands.run(ctx, c), String.join(" ", c.subList(0, 2)));
                }
            }
        }
        return changed;
    }

    private Result existingFile(ModuleContext ctx, Args args, String path, Optional<FileStat> st,
                                String prev) {
        FileTimes.Request times = FileTimes.request(args, "preserve");
        if (prev.equals("link") && args.bool("follow")) {
            ExecResult real = HostCommands.run(ctx, List.of("realpath", "-e", "--", path));
            if (real.ok()) {
                path = real.stdout().strip();
                st = FileSupport.stat(ctx, path);
                prev = st.map(FileModule::stateOf).orElse("absent");
            }
        }
        if (!prev.equals("file")) {
            return Result.failed("file (" + path + ") is " + prev + ", cannot continue",
                    Result.data("path", path, "state", prev));
        }
        FileStat cur = st.orElseThrow();
        boolean changed = FileAttributes.fixAttributes(ctx, path, cur, FileModes.mode(args.raw("mode"), cur.mode(),
                false), args.str("owner"), args.str("group"), false);
        changed |= FileTimes.apply(ctx, path, times);
        return Result.of(changed, ctx.check() ? Result.data("path", path, "state", "file")
                : FileAttributes.attributes(ctx, path, "path"));
    }

    private Result link(ModuleContext ctx, Args args, String path, String src,
                        FileProbe probe, String prev) {
        Optional<FileStat> st = probe.stat();
        boolean probedSrc = src != null;
        boolean force = args.bool("force");
        FileTimes.Request times = FileTimes.request(args, "preserve");
        if (src == null && prev.equals("link")) {
            src = st.get().linkTarget();
        }
        if (src == null) {
            return Result.failed("src is required for creating new symlinks");
        }
        String absSrc = src.startsWith("/") ? src : FileSupport.join(FileSupport.dirname(path).isEmpty() ? "."
                : FileSupport.dirname(path), src);
        if (!force && !(probedSrc ? probe.otherExists() : FileSupport.stat(ctx, absSrc).isPresent())) {
            return Result.failed("src file does not exist, use \"force=yes\" if you really want to create the link: "
                    + absSrc, Result.data("path", path, "src", src));
        }
        if (prev.equals("directory")) {
            if (!force) {
                return Result.failed("refusing to convert from directory to symlink for " + path,
                        Result.data("path", path));
            }
            ExecResult ls = HostCommands.run(ctx, List.of("find", path, "-mindepth", "1", "-maxdepth", "1"));
            if (!ls.stdout().isBlank()) {
                return Result.failed("the directory " + path + " is not empty, refusing to convert it",
                        Result.data("path", path));
            }
        } else if ((prev.equals("file") || prev.equals("other")) && !force) {
            return Result.failed("refusing to convert from " + prev + " to symlink for " + path,
                    Result.data("path", path));
        }
        boolean changed = !prev.equals("link") || !src.equals(st.get().linkTarget());
        Result.Diff diff = null;
        String linked = null;
        if (changed) {
            String before = prev.equals("link") ? "path: " + path + "\nstate: link\nsrc: " + st.get().linkTarget()
                    + "\n" : "path: " + path + "\nstate: " + prev + "\n";
            diff = new Result.Diff(path, before, "path: " + path + "\nstate: link\nsrc: " + src + "\n");
            if (!ctx.check()) {
                if (prev.equals("directory")) {
                    FileSupport.must(HostCommands.run(ctx, List.of("rmdir", "--", path)), "rmdir " + path);
                }
                // ln -sfn replaces an existing link or file in one step (-n: never descend into a linked dir);
                // the same command prints the new link's attributes
                linked = FileSupport.must(HostCommands.script(ctx, "ln -sfn -- \"$1\" \"$2\" && "
                        + "stat -c '%F|%a|%U|%G|%u|%g|%s|%h' -- \"$2\"", src, path), "ln -s " + path).stdout();
            }
        }
        String owner = args.str("owner");
        String group = args.str("group");
        boolean onlyLinked = owner == null && group == null && times.nothing();
        if ((owner != null || group != null) && !(ctx.check() && changed)) {
            FileStat now = FileSupport.stat(ctx, path).orElseThrow();
            changed |= FileAttributes.fixAttributes(ctx, path, now, null, owner, group, true);
        }
        if (!times.nothing() && !(ctx.check() && changed)) {
            changed |= FileTimes.apply(ctx, path, times);
        }
        Map<String, Object> data;
        if (ctx.check()) {
            data = Result.data("dest", path, "state", "link");
        } else if (onlyLinked && linked != null) {
            data = FileAttributes.attributesFrom(linked, path, "dest");
        } else if (onlyLinked && !changed) {
            data = probe.attributes("dest");
        } else {
            data = FileAttributes.attributes(ctx, path, "dest");
        }
        data.put("src", src);
        return changed ? (diff == null ? Result.changed(data) : Result.changed(data, diff)) : Result.ok(data);
    }

    /**
     * One command: what {@code $1} is ({@code link} and its target, {@code directory}, {@code file} with its link
     * count and inode, or {@code absent}), then the inode of {@code $2} ({@code missing} when it does not exist,
     * empty when no src was given); fields separated by NUL.
     */
    static final String HARD_PROBE_SCRIPT = """
            if [ -L "$1" ]; then printf 'link\\0%s\\0' "$(readlink -- "$1")"
            elif [ -d "$1" ]; then printf 'directory\\0\\0'
            elif [ -e "$1" ]; then printf 'file\\0%s\\0' "$(stat -c '%h:%i' -- "$1")"
            else printf 'absent\\0\\0'; fi
            if [ -z "$2" ]; then printf '\\0'
            elif [ -e "$2" ]; then printf '%s\\0' "$(stat -L -c '%i' -- "$2")"
            else printf 'missing\\0'; fi
            """;
    /** Replaces {@code $2} by a hard link to {@code $1} in one rename ($3: the temporary name beside it). */
    static final String HARD_REPLACE_SCRIPT = "ln -- \"$1\" \"$3\" && { mv -f -T -- \"$3\" \"$2\" || { rm -f -- \"$3\";"
            + " exit 1; }; }";

    /**
     * {@code state: hard}, as Ansible's ensure_hardlink: a regular file with more than one link is "hard"; an
     * existing file, another hard link or a directory is replaced only with force (atomically, through a temporary
     * link and a rename), a symlink is replaced when it points elsewhere. Then mode/owner/group and times.
     */
    private Result hard(ModuleContext ctx, Args args, String path, String src) {
        FileTimes.Request times = FileTimes.request(args, "preserve");
        boolean force = args.bool("force");
        ExecResult r = FileSupport.must(HostCommands.script(ctx, HARD_PROBE_SCRIPT, path, src == null ? "" : src),
                "stat " + path);
        String[] f = r.stdout().split("\0", -1);
        String prev = f[0];
        String detail = f.length > 1 ? f[1] : "";
        String srcInode = f.length > 2 ? f[2] : "";
        String pathInode = "";
        if (prev.equals("file")) {
            String[] linksInode = detail.split(":", 2);
            pathInode = linksInode.length > 1 ? linksInode[1] : "";
            if (Long.parseLong(linksInode[0].strip()) > 1) {
                prev = "hard";
            }
        }
        if (!prev.equals("hard") && src == null) {
            return Result.failed("src is required for creating new hardlinks");
        }
        if (src != null && srcInode.equals("missing")) {
            return Result.failed("src does not exist", Result.data("dest", path, "src", src));
        }
        boolean changed;
        switch (prev) {
            case "absent" -> changed = true;
            case "link" -> changed = !detail.equals(src);
            case "hard" -> {
                changed = src != null && !pathInode.equals(srcInode);
                if (changed && !force) {
                    return Result.failed("Cannot link, different hard link exists at destination",
                            Result.data("dest", path, "src", src));
                }
            }
            case "file" -> {
                if (!force) {
                    return Result.failed("Cannot link, file exists at destination", Result.data("dest", path, "src",
                            src));
                }
                changed = true;
            }
            default -> {
                return Result.failed(force ? "Error while replacing: " + path + " is a directory"
                        : "Cannot link: different hard link exists at destination", Result.data("dest", path, "src",
                        src));
            }
        }
        Result.Diff diff = changed ? stateDiff(path, prev, "hard") : null;
        if (changed && !ctx.check()) {
            if (prev.equals("absent")) {
                ExecResult ln = HostCommands.script(ctx, "ln -- \"$1\" \"$2\"", src, path);
                if (!ln.ok()) {
                    return Result.failed("Error while linking: " + ln.stderr().strip(), Result.data("path", path));
                }
            } else {
                String dir = FileSupport.dirname(path).isEmpty() ? "." : FileSupport.dirname(path);
                String tmp = dir + "/." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp";
                ExecResult ln = HostCommands.script(ctx, HARD_REPLACE_SCRIPT, src, path, tmp);
                if (!ln.ok()) {
                    return Result.failed("Error while replacing: " + ln.stderr().strip(), Result.data("path", path));
                }
            }
        }
        if (ctx.check() && prev.equals("absent")) {
            Map<String, Object> data = Result.data("dest", path, "src", src);
            return Result.changed(data, diff);
        }
        FileStat now = FileSupport.stat(ctx, path).orElseThrow();
        changed |= FileAttributes.fixAttributes(ctx, path, now, FileModes.mode(args.raw("mode"), now.mode(), false),
                args.str("owner"), args.str("group"), false);
        changed |= FileTimes.apply(ctx, path, times);
        Map<String, Object> data = FileAttributes.attributes(ctx, path, "dest");
        data.put("src", src);
        return changed ? (diff == null ? Result.changed(data) : Result.changed(data, diff)) : Result.ok(data);
    }

    private Result touch(ModuleContext ctx, Args args, String path, Optional<FileStat> st,
                         String prev) {
        FileTimes.Request times = FileTimes.request(args, "now");
        Result.Diff diff = stateDiff(path, prev, "touch");
        boolean changed = false;
        if (prev.equals("absent")) {
            if (ctx.check()) {
                return Result.changed(Result.data("dest", path), diff);
            }
            if (FileSupport.stat(ctx, FileSupport.dirname(path).isEmpty() ? "." : FileSupport.dirname(path))
                    .isEmpty()) {
                return Result.failed("Error, could not touch target: [Errno 2] No such file or directory: '" + path
                        + "'", Result.data("path", path));
            }
            // creates the empty file; its times are then set (or kept) like on an existing one
            FileSupport.must(HostCommands.run(ctx, List.of("touch", "--", path)), "touch " + path);
            changed = true;
        }
        FileStat now = FileSupport.stat(ctx, path).orElseThrow();
        changed |= FileAttributes.fixAttributes(ctx, path, now, FileModes.mode(args.raw("mode"), now.mode(),
                now.isDirectory()), args.str("owner"), args.str("group"), false);
        // like Ansible: a time of "now" (the default) always changes, so a plain touch always reports changed;
        // with both times "preserve" touch only creates the file and fixes its attributes
        changed |= FileTimes.apply(ctx, path, times);
        Map<String, Object> data = ctx.check() ? Result.data("dest", path)
                : FileAttributes.attributes(ctx, path, "dest");
        return changed ? Result.changed(data, diff) : Result.ok(data);
    }
}
