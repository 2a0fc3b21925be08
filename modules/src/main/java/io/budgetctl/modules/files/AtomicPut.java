package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.HostCommands;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Replacing a file's content on the host the way Ansible's atomic_move does: the new content goes to a temporary file
 * in the same directory, gets its mode, owner and group, and is renamed over the path, so a reader never sees half a
 * file; the old one is first copied to Ansible's backup name when asked. Small content can travel with the probe
 * ({@link #PUT_IF_CHANGED_SCRIPT}) so that an unchanged or a changed file costs one command.
 */
final class AtomicPut {
    private AtomicPut() {
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
     * {@link FileProbe#SCRIPT} (flags {@code d}), then, unless the path is a directory, exists while $9 (force) is 0,
     * already has sha1 $8, or its parent is not a directory, the same write as {@link #PUT_SCRIPT} with the content
     * on stdin: $4 mode, $5 owner, $6 group, $7 backup name (used when a regular file is replaced), ${10}
     * directory, ${11} basename. Prints {@code written}, the backup made (or nothing) and the result's attributes;
     * otherwise only what the probe printed. Exit 1 when the write fails, 6 when the backup does.
     */
    static final String PUT_IF_CHANGED_SCRIPT = FileProbe.SCRIPT + """
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

    /**
     * Puts {@code content} at {@code path} in one command: upload on stdin to a temporary file in the same
     * directory, mode/owner/group, optional backup (Ansible's name, see {@link #backupName}), atomic rename. Returns
     * the written file's attributes under {@code key}. {@code mode} null keeps an existing file's mode.
     */
    static Map<String, Object> put(ModuleContext ctx, String path, byte[] content, String mode, String owner,
                                   String group, String backupName, String key) {
        String dir = FileSupport.dirname(path);
        List<String> argv = List.of("/bin/sh", "-c", PUT_SCRIPT, "put", path, dir.isEmpty() ? "." : dir,
                FileSupport.basename(path), mode == null ? "" : mode, owner == null ? "" : owner,
                group == null ? "" : group, backupName == null ? "" : backupName);
        ExecResult r = ctx.connection().exec(new ExecRequest(argv, content, null, null, ctx.become(), null));
        if (r.exitCode() == 6) {
            throw new BadArgument("backup of " + path + " failed: " + r.stderr().strip());
        }
        if (!r.ok()) {
            throw new IllegalStateException("write " + path + " failed: " + r.stderr().strip());
        }
        return FileAttributes.attributesFrom(r.stdout(), path, key);
    }

    /** Ansible's backup name: {@code path.<pid>.<YYYY-MM-DD@HH:MM:SS>~}, a copy keeping mode and times. */
    static String backup(ModuleContext ctx, String path) {
        String name = backupName(path);
        FileSupport.must(HostCommands.run(ctx, List.of("cp", "-p", "--", path, name)), "backup of " + path);
        return name;
    }

    static String backupName(String path) {
        return path + "." + ProcessHandle.current().pid() + "."
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")) + "~";
    }
}
