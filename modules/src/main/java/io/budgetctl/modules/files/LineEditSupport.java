package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.FileStat;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.Result;
import io.budgetctl.engine.template.PyRegex;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.HostCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** What lineinfile and blockinfile share: reading lines, writing back, attributes, Python regex backrefs. */
final class LineEditSupport {
    private LineEditSupport() {
    }

    /** Splits keeping each line's terminator, like Python's readlines() on bytes (ISO-8859-1 keeps bytes 1:1). */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    /** Bytes as a 1:1 string so any encoding survives an edit untouched. */
    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** User text (UTF-8) in the same 1:1 form as {@link #latin1(byte[])}. */
    static String userText(String s) {
        return s == null ? null : latin1(s.getBytes(StandardCharsets.UTF_8));
    }

    static String display(String latin1) {
        return latin1 == null ? null : new String(latin1.getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.UTF_8);
    }

    static Pattern compile(String regex) {
        try {
            return Pattern.compile(userText(PyRegex.javaSyntax(regex)));
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new BadArgument("invalid regular expression '" + regex + "': " + e.getDescription());
        }
    }

    /** Outcome of an edit before it is applied. {@code after} null means "leave the file as it is". */
    record Edit(String before, String after, boolean exists, String msg) {
        boolean changed() {
            return after != null && !after.equals(before);
        }
    }

    /**
     * Applies an edit: backup, write (keeping the file's mode unless {@code mode} is given), then mode/owner/group
     * like Ansible's check_file_attrs (which appends to msg). {@code backupKey} is "backup" for lineinfile,
     * "backup_file" for blockinfile. {@code probe} is what a {@link FileProbe#probe} (with the parent's type)
     * learnt about the path: an unchanged file costs no further command, a changed one a single upload-and-rename.
     */
    static Result apply(ModuleContext ctx, FileProbe probe, Edit edit, Args args, String backupKey,
                        Map<String, Object> extra) {
        String path = probe.path();
        boolean changed = edit.changed();
        String msg = edit.msg();
        String backup = "";
        Optional<FileStat> st = probe.stat();
        String mode = FileModes.mode(args.raw("mode"), st.map(FileStat::mode).orElse(null), false);
        String owner = args.str("owner");
        String group = args.str("group");
        List<Result.Diff> diffs = new ArrayList<>();
        if (changed && ctx.diff()) {
            diffs.add(new Result.Diff(path, edit.exists() ? display(edit.before()) : null, display(edit.after())));
        }
        if (changed && !ctx.check()) {
            if (args.bool("backup") && st.isPresent()) {
                backup = AtomicPut.backupName(path);
            }
            String dir = FileSupport.dirname(path);
            if (!dir.isEmpty() && "absent".equals(probe.parentType())) {
                FileSupport.must(HostCommands.run(ctx, List.of("mkdir", "-p", "--", dir)), "mkdir " + dir);
            }
            // write follows a symlink to the real file, like Ansible's lineinfile/blockinfile
            boolean link = st.filter(FileStat::isLink).isPresent();
            String target = link
                    ? FileSupport.must(HostCommands.run(ctx, List.of("realpath", "-m", "--", path)), "realpath")
                    .stdout().strip() : path;
            Map<String, Object> written = AtomicPut.put(ctx, target, edit.after().getBytes(
                    StandardCharsets.ISO_8859_1), null, null, null, backup.isEmpty() ? null : backup, "path");
            probe = link ? FileProbe.probe(ctx, path, false, false, null) : FileProbe.of(path, written);
            st = probe.stat();
        }
        boolean attrs = false;
        if (st.isPresent()) {
            attrs = FileAttributes.fixAttributes(ctx, probe, mode, owner, group, false);
        }
        if (attrs && st.isPresent()) {
            msg = changed ? msg + " and ownership, perms or SE linux context changed"
                    : "ownership, perms or SE linux context changed";
        }
        changed |= attrs && st.isPresent();
        Map<String, Object> data = new java.util.LinkedHashMap<>(extra);
        data.put("msg", msg);
        if (backupKey.equals("backup")) {
            data.put("backup", backup);
        } else if (!backup.isEmpty()) {
            data.put(backupKey, backup);
        }
        return changed ? new Result.Changed(msg, data, diffs) : new Result.Ok(msg, data);
    }
}
