package io.budgetctl.modules.files;

import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.engine.template.PyValues;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.ModuleBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * {@code copy}: puts a controller file ({@code src}, found under {@code files/}) or inline {@code content} at
 * {@code dest}. With {@code remote_src: true}, {@code src} is a file on the host. See docs/modules.md.
 */
public final class CopyModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("src", Arg.of("path"))
            .arg("content", Arg.of("raw"))
            .arg("dest", Arg.required("path"))
            .arg("mode", Arg.of("raw"))
            .arg("directory_mode", Arg.of("raw"))
            .arg("owner", Arg.of("str"))
            .arg("group", Arg.of("str"))
            .arg("backup", Arg.of("bool").withDefault(false))
            .arg("validate", Arg.of("str"))
            .arg("force", Arg.of("bool").withDefault(true).withAliases("thirsty"))
            .arg("remote_src", Arg.of("bool").withDefault(false))
            .build();

    public CopyModule() {
        super("copy", SPEC, CheckMode.FULL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        return copy(ctx, args);
    }

    private Result copy(ModuleContext ctx, Args args) {
        String src = args.str("src");
        Object content = args.raw("content");
        String dest = args.str("dest");
        if (src == null && content == null) {
            return Result.failed("src (or content) is required");
        }
        if (src != null && content != null) {
            return Result.failed("src and content are mutually exclusive");
        }
        Object mode = args.raw("mode");
        byte[] bytes;
        String srcName = null;
        String reportedSrc = null;
        if (content != null) {
            bytes = contentBytes(content);
        } else if (args.bool("remote_src")) {
            Optional<byte[]> remote = ctx.connection().read(src, ctx.become());
            if (remote.isEmpty()) {
                return Result.failed("Source " + src + " not found");
            }
            bytes = remote.get();
            srcName = FileSupport.basename(src);
            reportedSrc = src;
            if ("preserve".equals(mode)) {
                mode = FileSupport.stat(ctx, src).map(s -> s.mode()).orElse(null);
            }
        } else {
            String lookup = src.length() > 1 && src.endsWith("/") ? src.substring(0, src.length() - 1) : src;
            Optional<Path> local = ctx.findFile("files", lookup);
            if (local.isEmpty()) {
                return Result.failed("Could not find or access '" + src + "' on the controller (searched in the "
                        + "role's and the playbook's files/ directories)");
            }
            Path p = local.get();
            if (Files.isDirectory(p)) {
                return DirectoryCopy.copy(ctx, src, p, dest, new DirectoryCopy.Options(mode,
                        args.raw("directory_mode"), args.str("owner"), args.str("group"), args.bool("backup"),
                        args.str("validate"), args.bool("force")));
            }
            try {
                bytes = Files.readAllBytes(p);
                if ("preserve".equals(mode)) {
                    mode = octal(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
                }
            } catch (IOException e) {
                return Result.failed("Source " + p + " not readable: " + e.getMessage());
            }
            srcName = p.getFileName().toString();
            reportedSrc = p.toString();
        }
        return FileContentPut.put(ctx, new FileContentPut.Request(dest, bytes, mode, args.str("owner"),
                args.str("group"), args.bool("backup"), args.str("validate"), args.bool("force"), srcName,
                reportedSrc));
    }

    /** Strings as UTF-8; dicts and lists the way Ansible writes them for content: Python's json.dumps. */
    static byte[] contentBytes(Object content) {
        if (content instanceof Map<?, ?> || content instanceof java.util.List<?>) {
            try {
                return PyValues.jsonDumps(content).getBytes(StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BadArgument("content could not be written as JSON: " + e.getMessage());
            }
        }
        if (content instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        // anything else as Ansible's to_bytes writes it: Python's str() (True, 1.0, 1e+20)
        return PyValues.str(content).getBytes(StandardCharsets.UTF_8);
    }

    private static String octal(String rwx) {
        int m = 0;
        for (int i = 0; i < 9; i++) {
            if (rwx.charAt(i) != '-') {
                m |= 1 << (8 - i);
            }
        }
        return String.format("%04o", m);
    }
}
