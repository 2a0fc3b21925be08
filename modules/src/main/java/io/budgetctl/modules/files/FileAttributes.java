package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.connection.FileStat;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.modules.HostCommands;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A path's mode, owner and group: set with chmod/chown/chgrp only where they differ (owner and group compared by name
 * or numeric id, so an id in the task is not a change), and reported as Ansible's file results report them.
 */
final class FileAttributes {
    private FileAttributes() {
    }

    /**
     * Sets mode, owner and group where they differ from {@code current} (owner/group compared by name or numeric
     * id). In check mode only reports. Returns whether anything differs. {@code mode} is already resolved to octal.
     */
    static boolean fixAttributes(ModuleContext ctx, String path, FileStat current, String mode, String owner,
                                 String group, boolean noFollow) {
        return fixAttributes(ctx, path, current, mode, owner, group, noFollow, null, null);
    }

    /** As above when a {@link FileProbe} already knows the numeric ids: no extra command to look them up. */
    static boolean fixAttributes(ModuleContext ctx, FileProbe probe, String mode, String owner, String group,
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
                FileSupport.must(HostCommands.run(ctx, List.of("chmod", mode, "--", path)), "chmod " + path);
            }
        }
        if (owner != null && !owner.equals(current.owner())
                && !owner.equals(uid != null ? uid : uidOf(ctx, path, current, "%u"))) {
            changed = true;
            if (!ctx.check()) {
                FileSupport.must(HostCommands.run(ctx, noFollow ? List.of("chown", "-h", owner, "--", path)
                        : List.of("chown", owner, "--", path)), "chown " + path);
            }
        }
        if (group != null && !group.equals(current.group())
                && !group.equals(gid != null ? gid : uidOf(ctx, path, current, "%g"))) {
            changed = true;
            if (!ctx.check()) {
                FileSupport.must(HostCommands.run(ctx, noFollow ? List.of("chgrp", "-h", group, "--", path)
                        : List.of("chgrp", group, "--", path)), "chgrp " + path);
            }
        }
        return changed;
    }

    private static String uidOf(ModuleContext ctx, String path, FileStat current, String fmt) {
        ExecResult r = HostCommands.run(ctx, List.of("stat", "-c", fmt, "--", path));
        return r.ok() ? r.stdout().strip() : null;
    }

    /** Ansible's file attributes in a result: path/dest, state, mode, owner, group, uid, gid, size. */
    static Map<String, Object> attributes(ModuleContext ctx, String path, String key) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(key, path);
        ExecResult r = HostCommands.script(ctx, "[ -e \"$1\" ] || [ -L \"$1\" ] || exit 3; "
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
}
