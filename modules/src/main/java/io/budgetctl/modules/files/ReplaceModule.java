package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.FileStat;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.engine.template.PyRegex;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.ModuleBase;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code replace}: every match of {@code regexp} (Python syntax, multiline) in a file replaced by {@code replace}
 * ({@code \1}, {@code \g<name>}), optionally only in the part between {@code after} and {@code before} (patterns
 * matched across lines). As Ansible's: "N replacements made", a missing file or a directory fails (rc 257/256), an
 * after/before that matches nothing changes nothing and says so, {@code validate}, {@code backup} (key
 * {@code backup_file}), mode/owner/group, a diff of the whole file. The file is read once and written once, through
 * a symlink to the real file.
 */
public final class ReplaceModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("path", Arg.required("path").withAliases("dest", "destfile", "name"))
            .arg("regexp", Arg.required("str"))
            .arg("replace", Arg.of("str").withDefault(""))
            .arg("after", Arg.of("str"))
            .arg("before", Arg.of("str"))
            .arg("backup", Arg.of("bool").withDefault(false))
            .arg("validate", Arg.of("str"))
            .arg("encoding", Arg.of("str").withDefault("utf-8"))
            .arg("mode", Arg.of("raw"))
            .arg("owner", Arg.of("str"))
            .arg("group", Arg.of("str"))
            .build();

    public ReplaceModule() {
        super("replace", SPEC, CheckMode.FULL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        String path = args.str("path");
        Charset charset = charset(args.str("encoding"));
        FileProbe probe = FileProbe.probe(ctx, path, true, true, null);
        Optional<FileStat> st = probe.stat();
        if (st.isPresent() && st.get().isDirectory()) {
            return Result.failed("Path " + path + " is a directory !", Result.data("rc", 256));
        }
        if (st.isEmpty()) {
            return Result.failed("Path " + path + " does not exist !", Result.data("rc", 257));
        }
        byte[] bytes = probe.readContent(ctx);
        String contents = decode(bytes, charset, path);

        String after = args.str("after");
        String before = args.str("before");
        String section = contents;
        int from = 0;
        int to = contents.length();
        String pattern = "";
        if (after != null && !after.isEmpty() && before != null && !before.isEmpty()) {
            pattern = after + "(?P<subsection>.*?)" + before;
        } else if (after != null && !after.isEmpty()) {
            pattern = after + "(?P<subsection>.*)";
        } else if (before != null && !before.isEmpty()) {
            pattern = "(?P<subsection>.*)" + before;
        }
        if (!pattern.isEmpty()) {
            Matcher m = compile(pattern, Pattern.DOTALL, "after/before").matcher(contents);
            if (!m.find()) {
                String msg = "Pattern for before/after params did not match the given file: " + pattern;
                return new Result.Ok(msg, Result.data("rc", 0, "msg", msg));
            }
            from = m.start("subsection");
            to = m.end("subsection");
            section = m.group("subsection");
        }
        String regexp = args.str("regexp");
        PyRegex.Substitution sub;
        try {
            sub = PyRegex.subn(compile(regexp, Pattern.MULTILINE, "regexp"), args.str("replace"),
                    section, 0);
        } catch (IllegalArgumentException e) {
            throw new BadArgument("replace: " + e.getMessage());
        }
        String result = contents;
        String msg = "";
        if (sub.count() > 0 && !section.equals(sub.text())) {
            result = contents.substring(0, from) + sub.text() + contents.substring(to);
            msg = sub.count() + " replacements made";
        }
        byte[] newBytes = result.getBytes(charset);
        String validate = args.str("validate");
        if (validate != null && !result.equals(contents) && !ctx.check()) {
            Result bad = FileValidate.validate(ctx, validate, newBytes, path, st.get().mode());
            if (bad != null) {
                return bad;
            }
        }
        // the edit in the 1:1 byte form lineinfile and blockinfile use (any encoding survives)
        LineEditSupport.Edit edit = new LineEditSupport.Edit(LineEditSupport.latin1(bytes),
                result.equals(contents) ? null : LineEditSupport.latin1(newBytes), true, msg);
        return LineEditSupport.apply(ctx, probe, edit, args, "backup_file", Map.of("rc", 0));
    }

    private static Pattern compile(String regex, int flags, String what) {
        try {
            // Python's re: Unicode classes, only \n ends a line
            return Pattern.compile(PyRegex.javaSyntax(regex),
                    flags | Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES);
        } catch (PatternSyntaxException e) {
            throw new BadArgument("invalid regular expression in " + what + " '" + regex + "': "
                    + e.getDescription());
        }
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new BadArgument("unknown encoding: " + name);
        }
    }

    private static String decode(byte[] bytes, Charset charset, String path) {
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadArgument("Unable to read the contents of " + path + ": it is not "
                    + charset.name() + " text (give the file's encoding with 'encoding')");
        }
    }
}
