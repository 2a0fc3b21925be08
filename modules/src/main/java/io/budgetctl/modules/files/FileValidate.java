package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.HostCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * The file modules' {@code validate}: the new content is checked by the task's command on the host before it
 * replaces the file, as Ansible does; the command is split into words here and never handed to a shell.
 */
final class FileValidate {
    private FileValidate() {
    }

    /**
     * Runs {@code validate} (a command with %s, split like a shell would but never run by one) against
     * {@code content} written to a temporary file next to {@code dest}. Returns a failed result or null when valid.
     */
    static Result validate(ModuleContext ctx, String validate, byte[] content, String dest, String mode) {
        if (!validate.contains("%s")) {
            return Result.failed("validate must contain %s: " + validate);
        }
        ExecResult mk = HostCommands.script(ctx, "d=$(dirname -- \"$1\"); b=$(basename -- \"$1\"); "
                + "mktemp \"$d/.$b.budgetctl-validate.XXXXXX\"", dest);
        FileSupport.must(mk, "creating a temporary file for validate next to " + dest);
        String tmp = mk.stdout().strip();
        try {
            ctx.connection().write(tmp, content, mode, null, null, ctx.become());
            List<String> argv = new ArrayList<>();
            for (String word : splitWords(validate)) {
                argv.add(word.replace("%s", tmp));
            }
            ExecResult r = HostCommands.run(ctx, argv);
            if (!r.ok()) {
                return Result.failed("failed to validate", Result.data("exit_status", r.exitCode(),
                        "stdout", r.stdout(), "stderr", r.stderr()));
            }
            return null;
        } finally {
            HostCommands.run(ctx, List.of("rm", "-f", "--", tmp));
        }
    }

    /** POSIX-shell-like word splitting (quotes and backslashes), the way Ansible shlex-splits validate. */
    static List<String> splitWords(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < s.length() && "\"\\$`".indexOf(s.charAt(i + 1)) >= 0) {
                    cur.append(s.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new BadArgument("No closing quotation in: " + s);
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }
}
