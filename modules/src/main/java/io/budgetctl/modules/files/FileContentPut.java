package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.connection.FileStat;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.HostCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part copy and template share: put {@code content} at {@code dest} with mode/owner/group, idempotently, with
 * backup, validate, check mode and --diff, reporting Ansible's copy result keys.
 */
final class FileContentPut {
    private FileContentPut() {
    }

    /** What to write and how. {@code srcName} is the basename used when dest is a directory (null for content). */
    record Request(String dest, byte[] content, Object mode, String owner, String group, boolean backup,
                   String validate, boolean force, String srcName, String src) {
    }

    /**
     * Round trips: one probe (stat, sha1, attributes and the parent directory's type in one command; with --diff
     * also the old content), and when the content differs one more command that uploads and renames into place.
     * An unchanged file costs one command. Content up to {@link AtomicPut#ONE_SHOT_MAX_BYTES} (outside check and
     * diff mode, without validate, with a numeric or no mode) travels with the probe, which writes it when it
     * differs: one command either way.
     */
    static Result put(ModuleContext ctx, Request req) {
        String dest = req.dest();
        if (dest.endsWith("/")) {
            if (req.srcName() == null) {
                return Result.failed("can not use content with a dir as dest");
            }
            dest = dest + req.srcName();
        }
        String checksum = FileSupport.hex("SHA-1", req.content());
        String fixedMode = FileModes.fixedMode(req.mode(), false);
        FileProbe probe;
        if (!ctx.check() && !ctx.diff() && req.validate() == null && !req.dest().endsWith("/")
                && req.content().length <= AtomicPut.ONE_SHOT_MAX_BYTES
                && (req.mode() == null || fixedMode != null)) {
            // one command: probe, and write unless nothing changed or the steps below must decide
            String dir = FileSupport.dirname(dest);
            List<String> argv = List.of("/bin/sh", "-c", AtomicPut.PUT_IF_CHANGED_SCRIPT, "put", dest, "d", "",
                    fixedMode == null ? "" : fixedMode, req.owner() == null ? "" : req.owner(),
                    req.group() == null ? "" : req.group(), req.backup() ? AtomicPut.backupName(dest) : "",
                    checksum, req.force() ? "1" : "0", dir.isEmpty() ? "." : dir, FileSupport.basename(dest));
            ExecResult r = ctx.connection().exec(new ExecRequest(argv, req.content(), null, null, ctx.become(),
                    null));
            if (r.exitCode() == 6) {
                throw new BadArgument("backup of " + dest + " failed: " + r.stderr().strip());
            }
            if (r.exitCode() == 1) {
                throw new IllegalStateException("write " + dest + " failed: " + r.stderr().strip());
            }
            String written = r.ok() ? FileProbe.afterProbe(r.stdout(), true, false, false) : "";
            if (written.startsWith("written\0")) {
                String[] f = written.split("\0", 3);
                Map<String, Object> data = FileAttributes.attributesFrom(f[2], dest, "dest");
                withSrc(data, req);
                data.put("checksum", checksum);
                data.put("md5sum", FileSupport.hex("MD5", req.content()));
                if (!f[1].isEmpty()) {
                    data.put("backup_file", f[1]);
                }
                return new Result.Changed(null, data, List.of());
            }
            if (!written.isEmpty()) {
                throw new IllegalStateException("unexpected output from the write on " + dest + ": " + written);
            }
            probe = FileProbe.parse(dest, r, true, false, null);
        } else {
            probe = FileProbe.probe(ctx, dest, true, ctx.diff(), null);
        }
        Optional<FileStat> st = probe.stat();
        if (st.isPresent() && st.get().isDirectory()) {
            if (req.srcName() == null) {
                return Result.failed("can not use content with a dir as dest");
            }
            dest = FileSupport.join(dest, req.srcName());
            probe = FileProbe.probe(ctx, dest, true, ctx.diff(), null);
            st = probe.stat();
        }
        if (st.isPresent() && !req.force()) {
            return new Result.Ok("file already exists", withSrc(Result.data("dest", dest), req));
        }
        String mode = FileModes.mode(req.mode(), st.filter(FileStat::isFile).map(FileStat::mode).orElse(null),
                false);
        boolean contentChanged = st.isEmpty() || !st.get().isFile() || !checksum.equals(st.get().sha1());
        List<Result.Diff> diffs = new ArrayList<>();
        if (contentChanged) {
            if (ctx.diff()) {
                String before = st.isPresent() && st.get().isFile()
                        ? FileSupport.diffText(probe.content() != null ? probe.content() : new byte[0])
                        : null;
                String after = FileSupport.diffText(req.content());
                if (after != null && (before != null || st.isEmpty() || !st.get().isFile())) {
                    diffs.add(new Result.Diff(dest, before, after));
                }
            }
            if (ctx.check()) {
                // like Ansible's action plugin: in check mode a content change is reported before the module
                // would look at the destination directory
                return new Result.Changed(null, withSrc(Result.data("dest", dest, "checksum", checksum), req), diffs);
            }
            String dir = FileSupport.dirname(dest);
            if (!dir.isEmpty() && !probe.parentIsDirectory()) {
                if (req.dest().endsWith("/")) {
                    FileSupport.must(HostCommands.run(ctx, List.of("mkdir", "-p", "--", dir)), "mkdir " + dir);
                } else {
                    return Result.failed("Destination directory " + dir + " does not exist");
                }
            }
            boolean backup = req.backup() && st.isPresent() && st.get().isFile();
            String backupFile = null;
            if (req.validate() != null) {
                // the backup is taken before validate runs, as Ansible does, so it stays even when validate fails
                if (backup) {
                    backupFile = AtomicPut.backup(ctx, dest);
                }
                Result bad = FileValidate.validate(ctx, req.validate(), req.content(), dest, mode);
                if (bad != null) {
                    return bad;
                }
            } else if (backup) {
                backupFile = AtomicPut.backupName(dest);
            }
            Map<String, Object> data = AtomicPut.put(ctx, dest, req.content(), mode, req.owner(), req.group(),
                    req.validate() == null ? backupFile : null, "dest");
            withSrc(data, req);
            data.put("checksum", checksum);
            data.put("md5sum", FileSupport.hex("MD5", req.content()));
            if (backupFile != null) {
                data.put("backup_file", backupFile);
            }
            return new Result.Changed(null, data, diffs);
        }
        boolean attrsChanged = FileAttributes.fixAttributes(ctx, probe, mode, req.owner(), req.group(), false);
        if (attrsChanged && ctx.check()) {
            return Result.changed(Result.data("dest", dest, "path", dest, "checksum", checksum));
        }
        Map<String, Object> data = attrsChanged ? FileAttributes.attributes(ctx, dest, "path")
                : probe.attributes("path");
        data.put("dest", dest);
        data.put("checksum", checksum);
        return Result.of(attrsChanged, data);
    }

    private static Map<String, Object> withSrc(Map<String, Object> data, Request req) {
        if (req.src() != null) {
            data.put("src", req.src());
        }
        return data;
    }
}
