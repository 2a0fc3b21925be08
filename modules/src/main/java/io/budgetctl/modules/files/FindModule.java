package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.engine.template.PyRegex;
import io.budgetctl.modules.HostCommands;
import io.budgetctl.modules.ModuleBase;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code find}: files, directories or links under {@code paths} selected by name ({@code patterns} and
 * {@code excludes}, shell globs or with {@code use_regex} Python regexes, matched against the base name), age, size
 * and content, as Ansible's: {@code files} (each with {@code path} and the stat keys Ansible's find returns),
 * {@code matched}, {@code examined}, {@code skipped_paths}, {@code msg}; never changed. On the host: one
 * {@code /bin/sh} run of GNU {@code find -printf} for every path, then {@code sha1sum} for {@code get_checksum} and
 * one read per candidate for {@code contains}. Differences: the files are sorted by path (Ansible lists them in
 * directory order).
 */
public final class FindModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("paths", Arg.required("list").withAliases("name", "path"))
            .arg("patterns", Arg.of("list").withAliases("pattern"))
            .arg("excludes", Arg.of("list").withAliases("exclude"))
            .arg("contains", Arg.of("str"))
            .arg("read_whole_file", Arg.of("bool").withDefault(false))
            .arg("file_type", Arg.of("str").withDefault("file").withChoices("any", "directory", "file", "link"))
            .arg("age", Arg.of("str"))
            .arg("age_stamp", Arg.of("str").withDefault("mtime").withChoices("atime", "ctime", "mtime"))
            .arg("size", Arg.of("str"))
            .arg("recurse", Arg.of("bool").withDefault(false))
            .arg("hidden", Arg.of("bool").withDefault(false))
            .arg("follow", Arg.of("bool").withDefault(false))
            .arg("get_checksum", Arg.of("bool").withDefault(false))
            .arg("use_regex", Arg.of("bool").withDefault(false))
            .arg("depth", Arg.of("int"))
            .build();

    /** $1 follow (1/0), $2 max depth (empty: unlimited), then the paths. One record of 15 NUL-ended fields each. */
    static final String SCRIPT = """
            L=; [ "$1" = 1 ] && L=-L
            D=; [ -n "$2" ] && D="-maxdepth $2"
            shift 2
            for p in "$@"; do
              if [ ! -d "$p" ]; then printf 'N\\0%s\\0' "$p"; continue; fi
              printf 'P\\0%s\\0' "$p"
              find $L "$p" -mindepth 1 $D \\
                -printf 'F\\0%p\\0%y\\0%m\\0%U\\0%G\\0%u\\0%g\\0%s\\0%i\\0%D\\0%n\\0%A@\\0%T@\\0%C@\\0'
            done
            """;
    private static final Pattern AGE = Pattern.compile("^(-?\\d+)(s|m|h|d|w)?$");
    private static final Pattern SIZE = Pattern.compile("^(-?\\d+)(b|k|m|g|t)?$");

    public FindModule() {
        super("find", SPEC, CheckMode.FULL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        Long age = null;
        if (args.has("age")) {
            Matcher m = AGE.matcher(args.str("age").toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                return Result.failed("failed to process age", Result.data("age", args.str("age")));
            }
            long unit = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "m" -> 60;
                case "h" -> 3600;
                case "d" -> 86400;
                case "w" -> 604800;
                default -> 1;
            };
            age = Long.parseLong(m.group(1)) * unit;
        }
        Long size = null;
        if (args.has("size")) {
            Matcher m = SIZE.matcher(args.str("size").toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                return Result.failed("failed to process size", Result.data("size", args.str("size")));
            }
            int power = "bkmgt".indexOf(m.group(2) == null ? "b" : m.group(2));
            size = Long.parseLong(m.group(1)) * (1L << (10 * power));
        }
        boolean regex = args.bool("use_regex");
        List<Pattern> patterns;
        List<Pattern> excludes;
        try {
            List<String> given0 = args.strings("patterns");
            patterns = names(given0.isEmpty() ? List.of(regex ? ".*" : "*") : given0, regex);
            excludes = names(args.strings("excludes"), regex);
        } catch (PatternSyntaxException e) {
            return Result.failed("invalid pattern '" + e.getPattern() + "': " + e.getDescription());
        }
        Pattern contains = null;
        if (args.has("contains")) {
            try {
                contains = Pattern.compile(PyRegex.javaSyntax(args.str("contains")),
                        Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES);
            } catch (PatternSyntaxException e) {
                return Result.failed("invalid regular expression in contains: " + e.getDescription());
            }
        }
        String depth = !args.bool("recurse") ? "1" : args.has("depth") && args.integer("depth") != null
                && args.integer("depth") > 0 ? String.valueOf(args.integer("depth")) : "";
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "budgetctl",
                args.bool("follow") ? "1" : "0", depth));
        for (String p : args.strings("paths")) {
            argv.add(p.startsWith("-") ? "./" + p : p); // never an option of find(1)
        }
        ExecResult r = HostCommands.run(ctx, argv);
        if (!r.ok() && r.stdout().isEmpty()) {
            return Result.failed("find failed (rc=" + r.exitCode() + "): " + r.stderr().strip());
        }

        String type = args.str("file_type");
        double now = System.currentTimeMillis() / 1000.0;
        String stamp = args.str("age_stamp");
        List<Map<String, Object>> files = new ArrayList<>();
        Map<String, Object> skipped = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        int examined = 0;
        String[] f = r.stdout().split("\0", -1);
        for (int i = 0; i + 1 < f.length; ) {
            switch (f[i]) {
                case "N" -> {
                    skipped.put(f[i + 1], "'" + f[i + 1] + "' is not a directory");
                    warnings.add("Skipped '" + f[i + 1] + "' path due to this access issue: '" + f[i + 1]
                            + "' is not a directory\n");
                    i += 2;
                    continue;
                }
                case "P" -> {
                    i += 2;
                    continue;
                }
                default -> {
                }
            }
            Entry e = new Entry(f, i + 1);
            i += 15;
            examined++;
            String base = e.path.substring(e.path.lastIndexOf('/') + 1);
            if (base.startsWith(".") && !args.bool("hidden")) {
                continue;
            }
            boolean byName = selected(base, patterns, excludes, regex);
            boolean byAge = age == null || (age >= 0 ? now - e.time(stamp) >= Math.abs(age)
                    : now - e.time(stamp) <= Math.abs(age));
            boolean bySize = size == null || (size >= 0 ? e.size >= Math.abs(size) : e.size <= Math.abs(size));
            boolean keep = switch (type) {
                case "any" -> byName && byAge && (!e.type.equals("f") || bySize);
                case "directory" -> e.type.equals("d") && byName && byAge;
                case "link" -> e.type.equals("l") && byName && byAge;
                default -> e.type.equals("f") && byName && byAge && bySize
                        && (contains == null || contains(ctx, e.path, contains, args.bool("read_whole_file")));
            };
            if (keep) {
                files.add(e.info());
            }
        }
        files.sort((a, b) -> ((String) a.get("path")).compareTo((String) b.get("path")));
        if (args.bool("get_checksum")) {
            checksums(ctx, files);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("files", files);
        data.put("msg", warnings.isEmpty() ? "All paths examined"
                : "Not all paths examined, check warnings for details");
        data.put("matched", files.size());
        data.put("examined", examined);
        data.put("skipped_paths", skipped);
        if (!warnings.isEmpty()) {
            data.put("warnings", warnings);
        }
        return Result.ok(data);
    }

    /** Python's pfilter: a name any pattern matches and no exclude matches (re.match or fnmatch). */
    private static boolean selected(String name, List<Pattern> patterns, List<Pattern> excludes, boolean regex) {
        for (Pattern p : patterns) {
            Matcher m = p.matcher(name);
            if (regex ? m.lookingAt() : m.matches()) {
                for (Pattern e : excludes) {
                    Matcher x = e.matcher(name);
                    if (regex ? x.lookingAt() : x.matches()) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    private static List<Pattern> names(List<String> given, boolean regex) {
        List<Pattern> out = new ArrayList<>();
        for (String g : given) {
            out.add(regex ? Pattern.compile(PyRegex.javaSyntax(g), Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES)
                    : Pattern.compile(fnmatch(g), Pattern.DOTALL));
        }
        return out;
    }

    /** Python's fnmatch.translate: * ? [seq] [!seq]; an unclosed [ is a literal. */
    static String fnmatch(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int j = i + 1;
                if (j < glob.length() && glob.charAt(j) == '!') {
                    j++;
                }
                if (j < glob.length() && glob.charAt(j) == ']') {
                    j++;
                }
                while (j < glob.length() && glob.charAt(j) != ']') {
                    j++;
                }
                if (j >= glob.length()) {
                    re.append("\\[");
                } else {
                    String set = glob.substring(i + 1, j).replace("\\", "\\\\").replace("[", "\\[");
                    if (set.startsWith("!")) {
                        set = "^" + set.substring(1);
                    } else if (set.startsWith("^")) {
                        set = "\\" + set;
                    }
                    re.append('[').append(set).append(']');
                    i = j;
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    /** Python's contentfilter: a line that re.match()es (or the whole file, searched); unreadable or binary: no. */
    private static boolean contains(ModuleContext ctx, String path, Pattern p, boolean whole) {
        Optional<byte[]> bytes = ctx.connection().read(path, ctx.become());
        if (bytes.isEmpty()) {
            return false;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.get())).toString();
        } catch (CharacterCodingException e) {
            return false;
        }
        if (whole) {
            return p.matcher(text).find();
        }
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            if (p.matcher(text.substring(start, end)).lookingAt()) {
                return true;
            }
            start = end;
        }
        return false;
    }

    private static void checksums(ModuleContext ctx, List<Map<String, Object>> files) {
        List<String> argv = new ArrayList<>(List.of("sha1sum", "-z", "--"));
        List<Map<String, Object>> regular = new ArrayList<>();
        for (Map<String, Object> file : files) {
            if (Boolean.TRUE.equals(file.get("isreg"))) {
                argv.add((String) file.get("path"));
                regular.add(file);
            }
        }
        if (regular.isEmpty()) {
            return;
        }
        String[] lines = HostCommands.run(ctx, argv).stdout().split("\0");
        for (int i = 0; i < lines.length && i < regular.size(); i++) {
            int space = lines[i].indexOf(' ');
            if (space > 0) {
                regular.get(i).put("checksum", lines[i].substring(0, space));
            }
        }
    }

    /** One line of find -printf: path, type, mode, ids, names, size, inode, dev, links, times. */
    private static final class Entry {
        final String path;
        final String type;
        final int mode;
        final long size;
        private final String[] f;
        private final int at;

        Entry(String[] f, int at) {
            this.f = f;
            this.at = at;
            this.path = f[at];
            this.type = f[at + 1];
            this.mode = Integer.parseInt(f[at + 2], 8);
            this.size = Long.parseLong(f[at + 7]);
        }

        double time(String stamp) {
            return Double.parseDouble(f[at + switch (stamp) {
                case "atime" -> 11;
                case "ctime" -> 13;
                default -> 12;
            }]);
        }

        Map<String, Object> info() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path);
            m.put("mode", String.format("%04o", mode));
            m.put("isdir", type.equals("d"));
            m.put("ischr", type.equals("c"));
            m.put("isblk", type.equals("b"));
            m.put("isreg", type.equals("f"));
            m.put("isfifo", type.equals("p"));
            m.put("islnk", type.equals("l"));
            m.put("issock", type.equals("s"));
            m.put("uid", Integer.parseInt(f[at + 3]));
            m.put("gid", Integer.parseInt(f[at + 4]));
            m.put("size", size);
            m.put("inode", Long.parseLong(f[at + 8]));
            m.put("dev", Long.parseLong(f[at + 9]));
            m.put("nlink", Integer.parseInt(f[at + 10]));
            m.put("atime", time("atime"));
            m.put("mtime", time("mtime"));
            m.put("ctime", time("ctime"));
            // like Python's pwd/grp: an id without a name gives ""
            m.put("gr_name", f[at + 6].equals(f[at + 4]) ? "" : f[at + 6]);
            m.put("pw_name", f[at + 5].equals(f[at + 3]) ? "" : f[at + 5]);
            String[] bits = {"wusr", "rusr", "xusr", "wgrp", "rgrp", "xgrp", "woth", "roth", "xoth"};
            int[] masks = {0200, 0400, 0100, 020, 040, 010, 02, 04, 01};
            for (int i = 0; i < bits.length; i++) {
                m.put(bits[i], (mode & masks[i]) != 0);
            }
            m.put("isuid", (mode & 04000) != 0);
            m.put("isgid", (mode & 02000) != 0);
            return m;
        }
    }
}
