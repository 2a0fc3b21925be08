package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.connection.FileStat;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.HostCommands;
import io.budgetctl.modules.ModuleBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code unarchive}: extracts a tar archive (plain, gz, bz2, xz, zstd: GNU tar detects the compression) into an
 * existing directory with the host's {@code tar}. A controller-side {@code src} is uploaded to a temporary
 * directory first. Idempotent through {@code creates} or {@code tar --diff} against dest. See docs/modules.md.
 */
public final class UnarchiveModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("src", Arg.required("path"))
            .arg("dest", Arg.required("path"))
            .arg("remote_src", Arg.of("bool").withDefault(false))
            .arg("creates", Arg.of("path"))
            .arg("extra_opts", Arg.of("list"))
            .arg("list_files", Arg.of("bool").withDefault(false))
            .arg("mode", Arg.of("raw"))
            .arg("owner", Arg.of("str"))
            .arg("group", Arg.of("str"))
            .build();

    public UnarchiveModule() {
        super("unarchive", SPEC, CheckMode.FULL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        String tmpDir = null;
        try {
            String creates = args.str("creates");
            if (creates != null && FileSupport.stat(ctx, creates).isPresent()) {
                String msg = "skipped, since " + creates + " exists";
                return new Result.Skipped(msg, Result.data("msg", msg));
            }
            String dest = args.str("dest");
            if (FileSupport.stat(ctx, dest + "/.").filter(FileStat::isDirectory).isEmpty()) {
                return Result.failed("dest '" + dest + "' must be an existing dir");
            }
            String src = args.str("src");
            String archive;
            if (args.bool("remote_src")) {
                if (FileSupport.stat(ctx, src).isEmpty()) {
                    return Result.failed("Source '" + src + "' does not exist");
                }
                archive = src;
            } else {
                Optional<Path> local = ctx.findFile("files", src);
                if (local.isEmpty()) {
                    return Result.failed("Could not find or access '" + src + "' on the controller (searched in "
                            + "the role's and the playbook's files/ directories)");
                }
                if (Files.isDirectory(local.get())) {
                    return Result.failed("src '" + src + "' is a directory, not an archive");
                }
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(local.get());
                } catch (IOException e) {
                    return Result.failed("Source " + local.get() + " not readable: " + e.getMessage());
                }
                tmpDir = FileSupport.must(HostCommands.run(ctx, List.of("mktemp", "-d")), "mktemp -d")
                        .stdout().strip();
                archive = FileSupport.join(tmpDir, local.get().getFileName().toString());
                ctx.connection().write(archive, bytes, "0600", null, null, ctx.become());
            }
            return unarchive(ctx, args, src, archive, dest);
        } finally {
            if (tmpDir != null) {
                HostCommands.run(ctx, List.of("rm", "-rf", "--", tmpDir));
            }
        }
    }

    private Result unarchive(ModuleContext ctx, Args args, String src, String archive, String dest) {
        // as Ansible's list type: a YAML list, or text split at commas (never at blanks)
        List<String> extra = args.list("extra_opts").stream().map(String::valueOf).toList();
        List<String> listCmd = new ArrayList<>(List.of("tar", "-t", "-f", archive));
        listCmd.addAll(extra);
        ExecResult listing = HostCommands.run(ctx, listCmd);
        if (!listing.ok()) {
            return Result.failed("Failed to find handler for \"" + archive + "\". Make sure the required command to "
                    + "extract the file is installed. tar: " + listing.stderr().strip());
        }
        List<String> members = new ArrayList<>();
        for (String m : listing.stdout().split("\n")) {
            if (!m.isEmpty()) {
                members.add(m);
            }
        }
        String owner = args.str("owner");
        String group = args.str("group");
        Object modeArg = args.raw("mode");
        List<String> diffCmd = new ArrayList<>(List.of("tar", "-C", dest, "-d", "-f", archive));
        diffCmd.addAll(extra);
        ExecResult diff = HostCommands.run(ctx, diffCmd);
        boolean unpacked = diff.ok() || onlyIgnorable(diff, owner != null, group != null, modeArg != null);
        if (diff.exitCode() > 1) {
            // tar could not compare (e.g. a member path is not a directory): extract will tell
            unpacked = false;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dest", dest);
        data.put("src", src);
        data.put("handler", "TgzArchive");
        if (args.bool("list_files")) {
            data.put("files", members);
        }
        boolean changed = !unpacked;
        if (!unpacked && !ctx.check()) {
            List<String> cmd = new ArrayList<>(List.of("tar", "-C", dest, "-x", "-f", archive));
            cmd.addAll(extra);
            ExecResult x = HostCommands.run(ctx, cmd);
            data.put("extract_results", Result.data("cmd", cmd, "rc", x.exitCode(), "out", x.stdout(),
                    "err", x.stderr()));
            if (!x.ok()) {
                return Result.failed("failed to unpack " + archive + " to " + dest, data);
            }
        }
        if ((owner != null || group != null || modeArg != null) && !(ctx.check() && changed)) {
            changed |= fixMembers(ctx, dest, members, modeArg, owner, group);
        }
        if (!ctx.check()) {
            Map<String, Object> attrs = FileAttributes.attributes(ctx, dest, "dest");
            attrs.remove("dest");
            data.putAll(attrs);
        }
        return Result.of(changed, data);
    }

    /** tar --diff lines that only report attributes the task sets itself afterwards. */
    private static boolean onlyIgnorable(ExecResult diff, boolean owner, boolean group, boolean mode) {
        if (diff.exitCode() != 1 || !diff.stderr().isBlank()) {
            return false;
        }
        for (String line : diff.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            boolean ignorable = (owner && line.endsWith(": Uid differs")) || (group && line.endsWith(": Gid differs"))
                    || (mode && line.endsWith(": Mode differs"));
            if (!ignorable) {
                return false;
            }
        }
        return true;
    }

    /** Applies mode/owner/group to every member of the archive below dest; one stat run to see what differs. */
    private boolean fixMembers(ModuleContext ctx, String dest, List<String> members, Object modeArg, String owner,
                               String group) {
        List<String> statCmd = new ArrayList<>(List.of("stat", "-c", "%F|%a|%U|%G|%u|%g|%n", "--"));
        for (String m : members) {
            statCmd.add(FileSupport.join(dest, m.endsWith("/") ? m.substring(0, m.length() - 1) : m));
        }
        ExecResult r = HostCommands.run(ctx, statCmd);
        boolean changed = false;
        for (String line : r.stdout().split("\n")) {
            String[] f = line.split("\\|", 7);
            if (f.length < 7) {
                continue;
            }
            boolean isLink = f[0].startsWith("symbolic");
            String cur = String.format("%04o", Integer.parseInt(f[1], 8));
            String mode = isLink ? null : FileModes.mode(modeArg, cur, f[0].equals("directory"));
            FileStat st = new FileStat(f[6], isLink ? "link" : "file", cur, f[2], f[3], 0, 0, null, null);
            if (owner != null && owner.equals(f[4])) {
                st = new FileStat(f[6], st.type(), cur, owner, f[3], 0, 0, null, null);
            }
            if (group != null && group.equals(f[5])) {
                st = new FileStat(f[6], st.type(), cur, st.owner(), group, 0, 0, null, null);
            }
            changed |= FileAttributes.fixAttributes(ctx, f[6], st, mode, owner, group, isLink);
        }
        return changed;
    }
}
