package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.FileStat;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code blockinfile}: keeps a block of lines between two marker lines, inserting, replacing or removing it. Same
 * algorithm as Ansible 2.14 (markers found by exact line, insertion point by the last matching line). See
 * docs/modules.md.
 */
public final class BlockinfileModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("path", Arg.required("path").withAliases("dest", "destfile", "name"))
            .arg("block", Arg.of("str").withDefault("").withAliases("content"))
            .arg("marker", Arg.of("str").withDefault("# {mark} ANSIBLE MANAGED BLOCK"))
            .arg("marker_begin", Arg.of("str").withDefault("BEGIN"))
            .arg("marker_end", Arg.of("str").withDefault("END"))
            .arg("state", Arg.of("str").withDefault("present").withChoices("present", "absent"))
            .arg("insertafter", Arg.of("str"))
            .arg("insertbefore", Arg.of("str"))
            .arg("create", Arg.of("bool").withDefault(false))
            .arg("backup", Arg.of("bool").withDefault(false))
            .arg("mode", Arg.of("raw"))
            .arg("owner", Arg.of("str"))
            .arg("group", Arg.of("str"))
            .mutuallyExclusive("insertbefore", "insertafter")
            .build();

    public BlockinfileModule() {
        super("blockinfile", SPEC, CheckMode.FULL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        return blockinfile(ctx, args);
    }

    private Result blockinfile(ModuleContext ctx, Args args) {
        String path = args.str("path");
        String after = args.str("insertafter");
        String before = args.str("insertbefore");
        FileProbe probe = FileProbe.probe(ctx, path, true, true, null);
        Optional<FileStat> st = probe.stat();
        if (st.isPresent() && st.get().isDirectory()) {
            return Result.failed("Path " + path + " is a directory !", Result.data("rc", 256));
        }
        boolean present = "present".equals(args.str("state"));
        if (st.isEmpty()) {
            if (!args.bool("create")) {
                return Result.failed("Path " + path + " does not exist !", Result.data("rc", 257));
            }
        }
        if (!present && st.isEmpty()) {
            String msg = "File " + path + " not present";
            return new Result.Ok(msg, Result.data("msg", msg));
        }
        String original = st.isPresent() ? LineEditSupport.latin1(probe.readContent(ctx)) : null;
        String block = LineEditSupport.userText(args.str("block"));
        String marker = LineEditSupport.userText(args.str("marker"));
        String begin = marker.replace("{mark}", LineEditSupport.userText(args.str("marker_begin"))) + "\n";
        String end = marker.replace("{mark}", LineEditSupport.userText(args.str("marker_end"))) + "\n";
        String result = edit(original, block, begin, end, present, after, before);
        String msg;
        if (result.equals(original)) {
            msg = "";
        } else if (original == null) {
            msg = "File created";
        } else if (!present || block.isEmpty()) {
            msg = "Block removed";
        } else {
            msg = "Block inserted";
        }
        LineEditSupport.Edit e = new LineEditSupport.Edit(original == null ? "" : original, result,
                original != null, msg);
        if (original == null && !e.changed()) {
            // an empty block into a new file still creates the (empty) file, like Ansible
            e = new LineEditSupport.Edit("\u0000", result, false, msg);
        }
        return LineEditSupport.apply(ctx, probe, e, args, "backup_file", Map.of());
    }

    /** Ansible 2.14 blockinfile on the 1:1 byte form. {@code original} null means the file does not exist. */
    static String edit(String original, String block, String begin, String end, boolean present, String after,
                       String before) {
        List<String> lines = original == null ? new ArrayList<>() : new ArrayList<>(LineEditSupport.lines(original));
        if (after == null && before == null) {
            after = "EOF";
        }
        Pattern re = null;
        if (after != null && !after.equals("EOF")) {
            re = LineEditSupport.compile(after);
        } else if (before != null && !before.equals("BOF")) {
            re = LineEditSupport.compile(before);
        }
        List<String> blockLines = new ArrayList<>();
        if (present && !block.isEmpty()) {
            String b = block.endsWith("\n") ? block : block + "\n";
            blockLines.add(begin);
            blockLines.addAll(LineEditSupport.lines(b));
            blockLines.add(end);
        }
        Integer n0 = null;
        Integer n1 = null;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(begin)) {
                n0 = i;
            }
            if (lines.get(i).equals(end)) {
                n1 = i;
            }
        }
        int at;
        if (n0 == null || n1 == null) {
            Integer found = null;
            if (re != null) {
                if ((re.flags() & Pattern.MULTILINE) != 0 && original != null) {
                    Matcher m = re.matcher(original);
                    if (m.find()) {
                        found = count(original, after != null ? m.end() : m.start());
                    }
                } else {
                    for (int i = 0; i < lines.size(); i++) {
                        if (re.matcher(lines.get(i)).find()) {
                            found = i;
                        }
                    }
                }
                if (found == null) {
                    at = lines.size();
                } else {
                    at = after != null ? found + 1 : found;
                }
            } else if (before != null) {
                at = 0;
            } else {
                at = lines.size();
            }
        } else if (n0 < n1) {
            lines.subList(n0, n1 + 1).clear();
            at = n0;
        } else {
            lines.subList(n1, n0 + 1).clear();
            at = n1;
        }
        if (at > 0 && !lines.get(at - 1).endsWith("\n")) {
            lines.set(at - 1, lines.get(at - 1) + "\n");
        }
        lines.addAll(at, blockLines);
        return String.join("", lines);
    }

    private static int count(String s, int endIdx) {
        int n = 0;
        for (int i = 0; i < endIdx; i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
