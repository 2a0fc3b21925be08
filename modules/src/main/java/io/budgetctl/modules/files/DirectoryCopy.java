package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.HostCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code copy} with a controller directory as {@code src}, like Ansible: {@code src: dir} puts the directory itself
 * under {@code dest} ({@code dest/dir/...}), {@code src: dir/} only its contents. {@code dest} is always a directory
 * and is created with its missing parents. Links under src are followed. Files get {@code mode}, the source's
 * directories {@code directory_mode} (new ones otherwise the host's default).
 *
 * <p>On the host: one {@code /bin/sh} run lists type, mode and SHA-1 of every target path; then one {@code mkdir -p}
 * for the missing directories, one {@code connection.write} per file whose content differs (unchanged files never
 * travel), and {@code chmod}/{@code chown}/{@code chgrp} only where the attributes differ. A second run is one exec
 * and reports ok.
 */
final class DirectoryCopy {
    /** One output line per argument: {@code type|mode|sha1} with type f, d, l (link), o (other) or - (absent). */
    private static final String SURVEY = "for p do\n"
            + "  if [ -L \"$p\" ]; then echo 'l||'\n"
            + "  elif [ -d \"$p\" ]; then echo \"d|$(stat -c %a -- \"$p\")|\"\n"
            + "  elif [ -f \"$p\" ]; then s=$(sha1sum < \"$p\") || exit 1; echo \"f|$(stat -c %a -- \"$p\")|${s%% *}\"\n"
            + "  elif [ -e \"$p\" ]; then echo 'o||'\n"
            + "  else echo '-||'; fi\n"
            + "done\n";

    /** What the task asked for, beyond the source directory and dest. */
    record Options(Object mode, Object directoryMode, String owner, String group, boolean backup, String validate,
                   boolean force) {
    }

    private record Entry(String rel, Path local, boolean dir) {
    }

    private record Remote(String type, String mode, String sha1) {
    }

    private DirectoryCopy() {
    }

    /**
     * Copies {@code local} (a directory; {@code src} as the task gave it, a trailing slash meaning "contents only")
     * to {@code dest}.
     */
    static Result copy(ModuleContext ctx, String src, Path local, String dest, Options opt) {
        boolean contentsOnly = src.endsWith("/");
        String root = dest.length() > 1 && dest.endsWith("/") ? dest.substring(0, dest.length() - 1) : dest;
        String reportedDest = root.endsWith("/") ? root : root + "/";
        List<Entry> entries = walk(local, contentsOnly ? "" : local.getFileName().toString());
        List<String> targets = new ArrayList<>();
        targets.add(root);
        for (Entry e : entries) {
            targets.add(FileSupport.join(root, e.rel()));
        }
        List<Remote> remote = survey(ctx, targets);
        if (!remote.get(0).type().equals("d") && !remote.get(0).type().equals("-")) {
            return Result.failed("Destination " + root + " exists and is not a directory",
                    Result.data("dest", reportedDest));
        }
        boolean changed = false;
        List<String> mkdirs = new ArrayList<>();
        Map<String, List<String>> chmods = new TreeMap<>();
        if (remote.get(0).type().equals("-")) {
            mkdirs.add(root);
            String mode = FileModes.mode(opt.directoryMode(), null, true);
            if (mode != null) {
                // like Ansible: every directory created on the way to dest gets directory_mode
                List<String> created = new ArrayList<>(List.of(root));
                String parent = FileSupport.dirname(root);
                while (!parent.isEmpty() && !parent.equals("/") && FileSupport.stat(ctx, parent).isEmpty()) {
                    created.add(0, parent);
                    parent = FileSupport.dirname(parent);
                }
                chmods.computeIfAbsent(mode, k -> new ArrayList<>()).addAll(created);
            }
        }
        List<Entry> writes = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            Remote r = remote.get(i + 1);
            String path = targets.get(i + 1);
            if (e.dir()) {
                if (r.type().equals("-")) {
                    mkdirs.add(path);
                    String mode = FileModes.mode(opt.directoryMode(), null, true);
                    if (mode != null) {
                        chmods.computeIfAbsent(mode, k -> new ArrayList<>()).add(path);
                    }
                } else if (!r.type().equals("d")) {
                    return Result.failed(path + " already exists as a " + typeName(r.type())
                            + " where the source has a directory", Result.data("dest", reportedDest));
                } else {
                    String mode = FileModes.mode(opt.directoryMode(), r.mode(), true);
                    if (mode != null && !mode.equals(r.mode())) {
                        chmods.computeIfAbsent(mode, k -> new ArrayList<>()).add(path);
                    }
                }
            } else if (r.type().equals("-") || (opt.force() && r.type().equals("f")
                    && !r.sha1().equals(sha1(e.local())))) {
                writes.add(e);
            } else if (r.type().equals("f")) {
                String mode = fileMode(opt.mode(), r.mode(), e.local());
                if (mode != null && !mode.equals(r.mode())) {
                    chmods.computeIfAbsent(mode, k -> new ArrayList<>()).add(path);
                }
            } else if (opt.force()) {
                return Result.failed(path + " already exists as a " + typeName(r.type())
                        + " where the source has a file", Result.data("dest", reportedDest));
            }
        }
        List<Result.Diff> diffs = new ArrayList<>();
        changed |= !mkdirs.isEmpty() || !writes.isEmpty() || !chmods.isEmpty();
        if (!ctx.check() && !mkdirs.isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("mkdir", "-p", "--"));
            argv.addAll(mkdirs);
            FileSupport.must(HostCommands.run(ctx, argv), "mkdir " + root);
        }
        for (Entry e : writes) {
            String path = FileSupport.join(root, e.rel());
            byte[] bytes = read(e.local());
            Remote before = remote.get(entries.indexOf(e) + 1);
            if (ctx.diff()) {
                String after = FileSupport.diffText(bytes);
                String old = before.type().equals("f")
                        ? FileSupport.diffText(ctx.connection().read(path, ctx.become()).orElse(new byte[0])) : null;
                if (after != null && (old != null || !before.type().equals("f"))) {
                    diffs.add(new Result.Diff(path, old, after));
                }
            }
            if (ctx.check()) {
                continue;
            }
            String mode = fileMode(opt.mode(), before.type().equals("f") ? before.mode() : null, e.local());
            if (opt.backup() && before.type().equals("f")) {
                AtomicPut.backup(ctx, path);
            }
            if (opt.validate() != null) {
                Result bad = FileValidate.validate(ctx, opt.validate(), bytes, path, mode);
                if (bad != null) {
                    return bad;
                }
            }
            ctx.connection().write(path, bytes, mode, opt.owner(), opt.group(), ctx.become());
        }
        if (!ctx.check()) {
            for (Map.Entry<String, List<String>> c : chmods.entrySet()) {
                List<String> argv = new ArrayList<>(List.of("chmod", c.getKey(), "--"));
                argv.addAll(c.getValue());
                FileSupport.must(HostCommands.run(ctx, argv), "chmod " + c.getKey());
            }
        }
        if (opt.owner() != null || opt.group() != null) {
            changed |= ownership(ctx, targets.subList(1, targets.size()), opt);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dest", reportedDest);
        data.put("src", contentsOnly ? local + "/" : local.toString());
        return changed ? new Result.Changed(null, data, diffs) : Result.ok(data);
    }

    /** Owner/group of every copied path (written files already have them; this catches the rest). */
    private static boolean ownership(ModuleContext ctx, List<String> paths, Options opt) {
        boolean changed = false;
        for (String p : paths) {
            var st = FileSupport.stat(ctx, p);
            if (st.isPresent()) {
                changed |= FileAttributes.fixAttributes(ctx, p, st.get(), null, opt.owner(), opt.group(), false);
            } else {
                changed = true; // only in check mode: it would be created
            }
        }
        return changed;
    }

    private static String fileMode(Object modeArg, String current, Path local) {
        if ("preserve".equals(modeArg)) {
            try {
                int m = 0;
                for (var perm : Files.getPosixFilePermissions(local)) {
                    m |= 1 << (8 - perm.ordinal());
                }
                return String.format("%04o", m);
            } catch (IOException e) {
                throw new BadArgument("Source " + local + " not readable: " + e.getMessage());
            }
        }
        return FileModes.mode(modeArg, current, false);
    }

    private static String typeName(String type) {
        return switch (type) {
            case "f" -> "file";
            case "d" -> "directory";
            case "l" -> "link";
            default -> "special file";
        };
    }

    /** Directories (parents first) and files below {@code dir}, relative to dest; {@code top} is "" or dir's name. */
    private static List<Entry> walk(Path dir, String top) {
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            s.sorted().forEach(p -> {
                String rel = dir.relativize(p).toString();
                String full = top.isEmpty() ? rel : rel.isEmpty() ? top : top + "/" + rel;
                if (full.isEmpty()) {
                    return;
                }
                out.add(new Entry(full, p, Files.isDirectory(p)));
            });
        } catch (IOException | UncheckedIOException e) {
            throw new BadArgument("Source " + dir + " not readable: " + e.getMessage());
        }
        return out;
    }

    private static List<Remote> survey(ModuleContext ctx, List<String> paths) {
        ExecResult r = FileSupport.must(HostCommands.script(ctx, SURVEY, paths.toArray(String[]::new)),
                "listing " + paths.get(0));
        String[] lines = r.stdout().split("\n");
        if (lines.length < paths.size()) {
            throw new BadArgument("listing " + paths.get(0) + " gave " + lines.length + " lines for "
                    + paths.size() + " paths");
        }
        List<Remote> out = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            String[] f = lines[i].split("\\|", -1);
            String mode = f[1].isEmpty() ? null : String.format("%04o", Integer.parseInt(f[1], 8));
            out.add(new Remote(f[0], mode, f[2]));
        }
        return out;
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new BadArgument("Source " + p + " not readable: " + e.getMessage());
        }
    }

    private static String sha1(Path p) {
        return FileSupport.hex("SHA-1", read(p));
    }
}
