package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.FileStat;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.ModuleBase;
import io.budgetctl.modules.ModuleOutput;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lineinfile}: ensures one line is present (replacing the last line matching {@code regexp}) or absent. The
 * file is read and written whole through the connection; the edit follows Ansible 2.14's algorithm line for line.
 * Regular expressions are Java's (with Python's {@code (?P<name>)} accepted). See docs/modules.md.
 */
public final class LineinfileModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("path", Arg.required("path").withAliases("dest", "destfile", "name"))
            .arg("line", Arg.of("str").withAliases("value"))
            .arg("regexp", Arg.of("str").withAliases("regex"))
            .arg("search_string", Arg.of("str"))
            .arg("state", Arg.of("str").withDefault("present").withChoices("present", "absent"))
            .arg("insertafter", Arg.of("str"))
            .arg("insertbefore", Arg.of("str"))
            .arg("create", Arg.of("bool").withDefault(false))
            .arg("backrefs", Arg.of("bool").withDefault(false))
            .arg("firstmatch", Arg.of("bool").withDefault(false))
            .arg("backup", Arg.of("bool").withDefault(false))
            .arg("mode", Arg.of("raw"))
            .arg("owner", Arg.of("str"))
            .arg("group", Arg.of("str"))
            .mutuallyExclusive("insertbefore", "insertafter")
            .mutuallyExclusive("regexp", "search_string")
            .mutuallyExclusive("backrefs", "search_string")
            .build();

    public LineinfileModule() {
        super("lineinfile", SPEC, CheckMode.FULL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        return lineinfile(ctx, args);
    }

    private Result lineinfile(ModuleContext ctx, Args args) {
        String path = args.str("path");
        String regexp = args.str("regexp");
        String search = args.str("search_string");
        String line = args.str("line");
        String after = args.str("insertafter");
        String before = args.str("insertbefore");
        boolean backrefs = args.bool("backrefs");
        // one command: stat, the parent's type and the content (what apply needs too)
        FileProbe probe = FileProbe.probe(ctx, path, true, true, null);
        Optional<FileStat> st = probe.stat();
        if (st.isPresent() && st.get().isDirectory()) {
            return Result.failed("Path " + path + " is a directory !", Result.data("rc", 256));
        }
        if ("present".equals(args.str("state"))) {
            if (backrefs && regexp == null) {
                return Result.failed("regexp is required with backrefs=true");
            }
            if (line == null) {
                return Result.failed("line is required with state=present");
            }
            if (st.isEmpty() && !args.bool("create")) {
                return Result.failed("Destination " + path + " does not exist !", Result.data("rc", 257));
            }
            String content = st.isPresent() ? LineEditSupport.latin1(probe.readContent(ctx)) : "";
            LineEditSupport.Edit edit = present(content, st.isPresent(), LineEditSupport.userText(regexp),
                    LineEditSupport.userText(search), LineEditSupport.userText(line), after, before, backrefs,
                    args.bool("firstmatch"), regexp);
            return LineEditSupport.apply(ctx, probe, edit, args, "backup", Map.of());
        }
        if (regexp == null && search == null && line == null) {
            return Result.failed("one of line, search_string, or regexp is required with state=absent");
        }
        if (st.isEmpty()) {
            return new Result.Ok("file not present", Result.data("msg", "file not present"));
        }
        String content = LineEditSupport.latin1(probe.readContent(ctx));
        Pattern re = regexp == null ? null : LineEditSupport.compile(regexp);
        String needle = LineEditSupport.userText(search);
        String exact = LineEditSupport.userText(line);
        StringBuilder kept = new StringBuilder();
        int found = 0;
        for (String l : LineEditSupport.lines(content)) {
            boolean hit = re != null ? re.matcher(l).find() : needle != null ? l.contains(needle)
                    : exact.equals(ModuleOutput.stripEnds(l));
            if (hit) {
                found++;
            } else {
                kept.append(l);
            }
        }
        String msg = found > 0 ? found + " line(s) removed" : "";
        LineEditSupport.Edit edit = new LineEditSupport.Edit(content, kept.toString(), true, msg);
        return LineEditSupport.apply(ctx, probe, edit, args, "backup", Map.of("found", found));
    }

    private static boolean endsWithEol(String l) {
        return l.endsWith("\n") || l.endsWith("\r");
    }

    /** Ansible 2.14 lineinfile present(): all strings are the 1:1 byte form. */
    static LineEditSupport.Edit present(String content, boolean exists, String regexp, String search, String line,
                                        String insertafter, String insertbefore, boolean backrefs,
                                        boolean firstmatch, String rawRegexp) {
        List<String> lines = new java.util.ArrayList<>(LineEditSupport.lines(content));
        Pattern re = rawRegexp == null ? null : LineEditSupport.compile(rawRegexp);
        Pattern ins = null;
        if (insertafter != null && !insertafter.equals("BOF") && !insertafter.equals("EOF")) {
            ins = LineEditSupport.compile(insertafter);
        } else if (insertbefore != null && !insertbefore.equals("BOF")) {
            ins = LineEditSupport.compile(insertbefore);
        }
        int matchIdx = -1;
        int insIdx = -1;
        Matcher match = null;
        boolean searchMatched = false;
        if (re != null) {
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = re.matcher(lines.get(i));
                if (m.find()) {
                    matchIdx = i;
                    match = m;
                    if (firstmatch) {
                        break;
                    }
                }
            }
        }
        if (search != null) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(search)) {
                    matchIdx = i;
                    searchMatched = true;
                    if (firstmatch) {
                        break;
                    }
                }
            }
        }
        boolean anyMatch = match != null || searchMatched;
        if (!anyMatch) {
            for (int i = 0; i < lines.size(); i++) {
                String cur = lines.get(i);
                if (line.equals(ModuleOutput.stripEnds(cur))) {
                    matchIdx = i;
                } else if (ins != null && ins.matcher(cur).find()) {
                    if (insertafter != null) {
                        insIdx = i + 1;
                        if (firstmatch) {
                            break;
                        }
                    }
                    if (insertbefore != null) {
                        insIdx = i;
                        if (firstmatch) {
                            break;
                        }
                    }
                }
            }
        }
        String msg = "";
        String sep = "\n";
        if (matchIdx != -1) {
            String newLine = backrefs && match != null ? expand(match, line) : line;
            if (!newLine.endsWith(sep)) {
                newLine += sep;
            }
            if (!lines.get(matchIdx).equals(newLine)) {
                lines.set(matchIdx, newLine);
                msg = "line replaced";
            }
        } else if (backrefs) {
            // nothing: without a match the backrefs cannot be filled
            ;
        } else if ("BOF".equals(insertbefore) || "BOF".equals(insertafter)) {
            lines.add(0, line + sep);
            msg = "line added";
        } else if ("EOF".equals(insertafter) || insIdx == -1) {
            if (!lines.isEmpty() && !endsWithEol(lines.get(lines.size() - 1))) {
                lines.add(sep);
            }
            lines.add(line + sep);
            msg = "line added";
        } else if (insertafter != null) {
            if (lines.size() == insIdx) {
                if (!ModuleOutput.stripEnds(lines.get(insIdx - 1)).equals(line)) {
                    lines.add(line + sep);
                    msg = "line added";
                }
            } else if (!line.equals(ModuleOutput.stripEnds(lines.get(insIdx)))) {
                lines.add(insIdx, line + sep);
                msg = "line added";
            }
        } else {
            lines.add(insIdx, line + sep);
            msg = "line added";
        }
        return new LineEditSupport.Edit(content, String.join("", lines), exists, msg);
    }

    /** Python's match.expand; a group the regexp does not have is a bad argument, as in Ansible. */
    private static String expand(java.util.regex.Matcher match, String line) {
        try {
            return io.budgetctl.engine.template.PyRegex.expand(line, match);
        } catch (IllegalArgumentException e) {
            throw new BadArgument(e.getMessage());
        }
    }
}
